// The Node.js version the README and `engines` promise is one every installed package accepts:
// `npm install` on the oldest promised version warns about no package (EBADENGINE).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const json = (file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8'));

describe('the Node.js version promised', () => {
  const promised: string = json('package.json').engines.node;
  const oldest = semver.minVersion(promised)!.version;

  it('is the one the README names', () => {
    const [major, minor] = oldest.split('.');
    assert.match(readFileSync(path.join(root, 'README.md'), 'utf8'), new RegExp(`Node\\.js ${major}\\.${minor} or later`));
  });

  it('is accepted by every package the lock file installs, and by the Node.js running the tests', () => {
    const packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }> = json('package-lock.json').packages;
    const refusing = Object.entries(packages)
      .filter(([, p]) => p.engines && !Array.isArray(p.engines) && p.engines.node)
      .filter(([, p]) => !semver.satisfies(oldest, (p.engines as { node: string }).node))
      .map(([where, p]) => `${where.replace(/^.*node_modules\//, '')}@${p.version} needs node ${(p.engines as { node: string }).node}`);
    assert.deepEqual(refusing, [], `Node.js ${oldest} (package.json engines "${promised}") is refused by`);
    assert.ok(semver.satisfies(process.versions.node, promised), `this Node.js ${process.versions.node} is outside "${promised}"`);
  });
});
