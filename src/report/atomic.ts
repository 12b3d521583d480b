import { randomBytes } from 'node:crypto';
import { promises as fs, rmSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Write `contents` to `file` atomically: create the directory, write a temporary file in the SAME
 * directory (so the rename never crosses file systems), fsync it, then rename it over the target.
 * An interrupted run leaves either the old file or the new one, never half a file; on any failure the
 * temporary file is removed and the error rethrown.
 */
export async function writeFileAtomic(file: string, contents: string): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  trackPending(tmp);
  try {
    const handle = await fs.open(tmp, 'wx');
    try {
      await handle.writeFile(contents, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  } finally {
    pending.delete(tmp);
  }
}

/**
 * Temporary files being written. A second Ctrl-C calls process.exit while a write is under way (issue #15
 * §4 found `.junit.xml.<pid>.<hex>.tmp` left behind): the 'exit' handler removes them synchronously, so the
 * report directory holds only complete reports.
 */
const pending = new Set<string>();
let exitHookInstalled = false;

function trackPending(tmp: string): void {
  pending.add(tmp);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', removePendingTempFiles);
}

/** Remove every temporary file still being written (synchronous: runs in the process 'exit' event). */
export function removePendingTempFiles(): void {
  for (const tmp of pending) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      /* best effort while exiting */
    }
  }
  pending.clear();
}
