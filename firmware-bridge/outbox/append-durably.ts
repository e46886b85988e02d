import type { FileHandle } from 'node:fs/promises';

/**
 * Appends `text` and fsyncs it. On failure the file is cut back to `completeBytes`, its length in
 * whole lines: a half-written line would glue itself to the next one.
 */
export async function appendDurably(handle: FileHandle, text: string, completeBytes: number): Promise<void> {
  try {
    await handle.write(text);
    await handle.datasync();
  } catch (error) {
    await handle.truncate(completeBytes).catch(() => undefined);
    throw error;
  }
}
