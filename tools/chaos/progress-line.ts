/** One status line that rewrites itself on a terminal and prints every few seconds otherwise (CI logs). */
export function progressPrinter(prefix: string): (line: string) => void {
  let lastPrinted = 0;
  return (line) => {
    if (process.stderr.isTTY) {
      process.stderr.write(`\r\x1b[2K${prefix} ${line}`);
      return;
    }
    if (Date.now() - lastPrinted < 5000) return;
    lastPrinted = Date.now();
    process.stderr.write(`${prefix} ${line}\n`);
  };
}

/** Ends a rewritten line so the next output starts on its own line. */
export function endProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\n');
}
