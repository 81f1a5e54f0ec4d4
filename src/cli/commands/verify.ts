// `anju verify`: for each book, debits = credits, Σ member balances = 201, each ledger balance = Σ its
// postings, no negative member balance; and the audit chain. Exits 1 on any breach.
import { parseArgs } from 'node:util';
import { openFromEnv } from '../../db/connection.ts';
import { verifyAuditChain } from '../../audit/audit-trail.ts';
import { formatVerifyReport, verifyBooks } from '../../ledger/verify-books.ts';

export async function verifyCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' } } });
  const handle = await openFromEnv();
  try {
    const books = await verifyBooks(handle.db);
    const chain = await verifyAuditChain(handle.db);
    if (values.json) {
      console.log(
        JSON.stringify({
          ok: books.ok && chain.ok,
          books,
          auditChain: { ...chain, firstBrokenId: chain.firstBrokenId?.toString() },
        }),
      );
    } else {
      console.log(formatVerifyReport(books));
      console.log(
        chain.ok
          ? `✓ audit chain: ${chain.rowsChecked} rows, every hash links (${chain.unsealed} awaiting their transactions)`
          : `✗ audit chain: broken${chain.firstBrokenId === undefined ? '' : ` at row ${chain.firstBrokenId}`} (${chain.problem}); ${chain.rowsChecked} rows before it are intact`,
      );
    }
    return books.ok && chain.ok ? 0 : 1;
  } finally {
    await handle.close();
  }
}
