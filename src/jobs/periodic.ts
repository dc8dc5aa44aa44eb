/**
 * Runs `work` repeatedly on this node: again at once while it reports it did something (a
 * backlog), otherwise after `intervalMs`. Safe on every node at once when `work` claims rows with
 * SKIP LOCKED. Errors are logged and retried on the next tick; `stop` waits for the current run.
 */
export function runPeriodically(
  name: string,
  work: () => Promise<boolean>,
  opts: { intervalMs: number; log: { error(obj: unknown, msg: string): void } },
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = () => {
    running = (async () => {
      let busy = false;
      try {
        busy = await work();
      } catch (err) {
        opts.log.error({ err, job: name }, `${name} failed; retrying`);
      }
      if (!stopped) timer = setTimeout(tick, busy ? 0 : opts.intervalMs);
    })();
  };
  timer = setTimeout(tick, 0);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
