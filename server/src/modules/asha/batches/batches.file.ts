// The payment file of a batch, in a PFMS-style layout (the bulk "beneficiary payment" upload that
// PFMS and the banks' CMS accept, one line per payee and scheme component):
//   header:  SlNo,PaymentReference,BeneficiaryCode,BeneficiaryName,AccountNumber,IFSC,Amount,SchemeComponent,Purpose,BatchId,BlockName
//   rows:    1,<batch>-00001,<ASHA id>,<name>,<account>,<IFSC>,<whole rupees>,NHM|STATE,"ASHA incentive YYYY-MM",<batch>,<block>
// PaymentReference is what the bank echoes back in its return file (reference,status,reason,utr).
// Fields are quoted when they hold a comma, a quote or a line break; a field that starts with = + - @
// is prefixed with ' so a spreadsheet does not run it.
const HEADER = ['SlNo', 'PaymentReference', 'BeneficiaryCode', 'BeneficiaryName', 'AccountNumber', 'IFSC', 'Amount', 'SchemeComponent', 'Purpose', 'BatchId', 'BlockName'];

export function csvField(v: unknown): string {
  let s = v == null ? '' : String(v);
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function paymentFile(b: { id: string; month: string; block_name: string }, rows: { reference: string; asha_id: string; name: string; bank_account: string; ifsc: string; amount: number; fund_source: string }[]) {
  const lines = [HEADER.join(',')];
  rows.forEach((r, i) => lines.push([i + 1, r.reference, r.asha_id, r.name, r.bank_account, r.ifsc, Number(r.amount), r.fund_source, `ASHA incentive ${b.month}`, b.id, b.block_name].map(csvField).join(',')));
  return `${lines.join('\r\n')}\r\n`;
}
