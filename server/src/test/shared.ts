import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared beside the project: real files from other systems, read by tests only. */
export const SHARED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared');
export const sharedPath = (...parts: string[]) => path.join(SHARED, ...parts);
export const hasShared = (...parts: string[]) => fs.existsSync(sharedPath(...parts));
export const readShared = (...parts: string[]) => fs.readFileSync(sharedPath(...parts), 'utf8');
