import cliProgress from "cli-progress";

/** Where a bar is drawn: stderr, so stdout stays the command's result. */
export type ProgressStream = NodeJS.WriteStream | (NodeJS.WritableStream & { isTTY?: boolean });

export type CreateStepProgressBarParameters = {
  stream: ProgressStream;
  /** What every line starts with: the command and its subject (`prove membership`). */
  title: string;
  /** The bar's full value: the number of steps. */
  total: number;
  /** The label before the first step, padded to `labelWidth` so the elapsed time stays in one column. */
  initialLabel: string;
  labelWidth: number;
};

export type StepProgressBar = {
  /** Moves to `value` under `label`; off a terminal a step also prints its line at once unless `drawNow` is false. */
  step: (label: string, value: number, options?: { drawNow?: boolean }) => void;
  /** Ends the bar (a no-op before the first step), optionally on a last label and value. */
  stop: (final?: { label: string; value?: number }) => void;
};

/**
 * A bar over a command's steps for work that reports no progress inside a step (snarkjs, a remote prover): the
 * elapsed time is what shows a long step is alive, redrawn 10 times a second on a terminal and printed as a line
 * every 5 s (and at each step) elsewhere, so CI logs show it too.
 */
export function createStepProgressBar(parameters: CreateStepProgressBarParameters): StepProgressBar {
  const { stream, title, total, labelWidth } = parameters;
  const tty = stream.isTTY === true;
  let label = parameters.initialLabel;
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as NodeJS.WritableStream,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      fps: 10,
      hideCursor: tty,
      // Off a terminal each draw already ends its line; clearing there is a no-op that skips the extra newline.
      clearOnComplete: !tty,
      barsize: 24,
      format: (options, params) => {
        const elapsed = ((params.stopTime ?? Date.now()) - params.startTime) / 1000;
        const drawn = tty ? `${cliProgress.Format.BarFormat(params.progress, options)} ` : "";
        return `${title} ${drawn}${label.padEnd(labelWidth)} ${elapsed.toFixed(1)} s`;
      },
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    step(next, value, options = {}) {
      label = next;
      if (!started) {
        bar.start(total, value);
        started = true;
        return;
      }
      bar.update(value);
      // Off a terminal cli-progress draws only on its schedule; a new step is worth a line at once.
      if (!tty && options.drawNow !== false) bar.render();
    },
    stop(final) {
      if (!started) return;
      if (final) {
        label = final.label;
        if (final.value !== undefined) bar.update(final.value);
      }
      bar.stop();
      started = false;
    },
  };
}
