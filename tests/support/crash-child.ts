// Run by tests/integration/crash-recording.test.ts with `node --import tsx`: opens the core on an
// enrolled device's folder with sync stopped, signs the bursar in and records payments until it
// is killed. A payment is printed only after its command returned, so every printed line is one
// the bursar would have seen saved.
//   argv: <dataDir> <username> <password> <studentId>...
import { openCore } from '../../electron/core/open-core.js';

const [dataDir, username, password, ...studentIds] = process.argv.slice(2);
if (!dataDir || !username || !password || studentIds.length === 0) {
  console.error('usage: crash-child.ts <dataDir> <username> <password> <studentId>...');
  process.exit(2);
}

const core = await openCore({ dataDir, startSync: false });
const login = await core.dispatch('auth.login', { username, password });
if (!login.ok) throw new Error(`sign-in failed: ${login.error.message}`);
process.stdout.write('READY\n');

for (let i = 0; ; i++) {
  const reply = await core.dispatch('payments.record', { studentId: studentIds[i % studentIds.length]!, amountMinor: 100 + (i % 900) });
  if (!reply.ok) throw new Error(`payments.record refused: ${reply.error.message}`);
  const { id, receiptNo } = reply.value as { id: string; receiptNo: string };
  process.stdout.write(`PAID ${id} ${receiptNo}\n`);
}
