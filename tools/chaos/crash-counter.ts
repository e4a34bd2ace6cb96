import { shortMessage } from './error-type';

/** Counts what would have crashed a plain Node process: unhandled rejections and uncaught exceptions. */
export class CrashCounter {
  count = 0;
  readonly samples: string[] = [];
  private readonly onRejection = (reason: unknown): void => this.note('unhandledRejection', reason);
  private readonly onException = (error: unknown): void => this.note('uncaughtException', error);

  install(): this {
    process.on('unhandledRejection', this.onRejection);
    process.on('uncaughtException', this.onException);
    return this;
  }

  uninstall(): void {
    process.off('unhandledRejection', this.onRejection);
    process.off('uncaughtException', this.onException);
  }

  private note(kind: string, reason: unknown): void {
    this.count++;
    if (this.samples.length < 20) this.samples.push(`${kind}: ${reason instanceof Error ? reason.constructor.name : typeof reason}: ${shortMessage(reason)}`);
  }
}
