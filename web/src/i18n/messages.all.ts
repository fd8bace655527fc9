// Both languages' tables at once, for tests and tools (the UI loads one: i18n.tsx loadMessages).
import en from './messages.en.ts';
import hi from './messages.hi.ts';
import type { Lang, Messages } from './i18n.tsx';

export const messages: Record<Lang, Messages> = { en, hi: hi as Messages };
