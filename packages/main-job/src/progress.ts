/** A one-line live progress display on stderr; silent when stderr is not a terminal. */
export class Progress {
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private readonly live: boolean;
  records = 0;
  bytes = 0;

  /** `out` null: count silently. `unit` names what is counted (records, changes, mutations). */
  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WriteStream | null = process.stderr,
    private readonly unit: { plural: string; rate: string; bytes?: boolean } = {
      plural: 'records',
      rate: 'rec/s',
    },
  ) {
    this.live = out?.isTTY === true;
    if (this.live) this.timer = setInterval(() => out?.write(`\r${this.line()}\x1b[K`), 250);
  }

  get seconds(): number {
    return (Date.now() - this.started) / 1000;
  }

  line(): string {
    const s = Math.max(this.seconds, 0.001);
    return (
      `  ${this.label}: ${this.records.toLocaleString('en-US')} ${this.unit.plural}  ` +
      `${Math.round(this.records / s).toLocaleString('en-US')} ${this.unit.rate}  ` +
      `${this.unit.bytes === false ? '' : `${(this.bytes / 1e6).toFixed(1)} MB  `}${s.toFixed(1)} s`
    );
  }

  done(): void {
    if (this.timer) clearInterval(this.timer);
    this.out?.write(`${this.live ? '\r' : ''}${this.line()}${this.live ? '\x1b[K' : ''}\n`);
  }
}
