import { useState } from 'react';
import { Notice } from './Notice.tsx';

/**
 * A confirmation that outlives a page change ("Saved"): `flash()` before navigating, and the next page
 * that renders `<FlashNotice />` shows it once (announced as a status).
 */
let pending: string | null = null;

export function flash(message: string): void {
  pending = message;
}

/** The message waiting to be shown, once. */
export function takeFlash(): string | null {
  const m = pending;
  pending = null;
  return m;
}

export function FlashNotice() {
  const [message] = useState(takeFlash);
  return message ? <Notice kind="success">{message}</Notice> : null;
}
