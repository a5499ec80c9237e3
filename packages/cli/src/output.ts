import pc from "picocolors";

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colour only for a terminal: never when `NO_COLOR` is set (https://no-color.org), always when
 * `FORCE_COLOR` is (and not "0"), otherwise when the stream is a TTY that is not "dumb".
 */
export function colorsFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Colors {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  const force = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  return pc.createColors(!noColor && (force || (stream.isTTY === true && env.TERM !== "dumb")));
}

/** Where commands write: results to stdout, progress and problems to stderr. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Colours for stdout. */
  c: Colors;
  /** Colours for stderr. */
  e: Colors;
}

let outputGone = false;
const onOutputGone = new Set<() => void>();

/**
 * Keeps the CLI quiet when its output's reader goes away (`octo-webhooks webhooks list | head -2`): an
 * error of stdout or stderr (EPIPE) is not a crash with a stack trace; from then on nothing more is
 * written, the command ends with its own exit code, and a command that runs until stopped stops
 * ({@link untilOutputGone}). Called once by the binary.
 */
export function quietWhenOutputGoes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", () => {
      if (outputGone) return;
      outputGone = true;
      for (const listener of onOutputGone) listener();
    });
  }
}

/** Resolves when stdout or stderr can no longer be written (its reader went away). */
export function untilOutputGone(): Promise<void> {
  return new Promise((resolve) => {
    if (outputGone) return resolve();
    const done = () => {
      onOutputGone.delete(done);
      resolve();
    };
    onOutputGone.add(done);
  });
}

/** Writes to `stream` unless the output went away. */
export function write(stream: NodeJS.WriteStream, text: string): void {
  if (!outputGone) stream.write(text);
}

export function processIo(): Io {
  return {
    out: (line) => write(process.stdout, `${line}\n`),
    err: (line) => write(process.stderr, `${line}\n`),
    c: colorsFor(process.stdout),
    e: colorsFor(process.stderr),
  };
}

/** A failure to report in one line, without a stack trace; `exitCode` 1 unless said otherwise. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** `HH:MM:SS`, local time. */
export function clock(date = new Date()): string {
  return date.toTimeString().slice(0, 8);
}

/** Fixed-width columns for a terminal table; the last column is not padded. */
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows.map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  "),
  );
}
