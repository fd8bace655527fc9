// Bank details of payees (ASHAs, kitchens' self-help groups): the IFSC's form and an account number
// as it may be shown to those who may not see it whole.

/** 4 letters (the bank), a zero, 6 letters or digits (the branch), as RBI gives it: SBIN0001234. */
export const IFSC = /^[A-Z]{4}0[A-Z0-9]{6}$/;

/** All but the last four digits hidden: XXXXXXXX9012. */
export function maskAccount(account: string): string;
export function maskAccount(account: string | null): string | null;
export function maskAccount(account: string | null): string | null {
  return account ? `${'X'.repeat(Math.max(0, account.length - 4))}${account.slice(-4)}` : null;
}
