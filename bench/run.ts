import { cpus, loadavg, totalmem } from 'node:os';
import { benchSettings, startBench, type BenchSection } from './bench-context';
import { clientTokenSection } from './client-token-section';
import { fanOutSection } from './fan-out-section';
import { idleSection } from './idle-section';
import { naiveSection } from './naive-section';
import { overheadSection } from './overhead-section';
import { schedulesSection } from './schedules-section';
import { clockTicksPerSecond } from './process-usage';
import { mib } from './table';
import { targetsTable, type TargetCheck } from './targets';
import { webhookLatencySection } from './webhook-latency-section';

/**
 * `npm run bench`: the gateway against the limits of the protocol (Graph calls, latency bound),
 * against a hand-written client doing the same fan-out (the floor) and against bare GraphQL
 * servers (throughput). Everything runs on loopback, in one run, and prints markdown.
 *
 * A new measurement is a BenchSection in a file of its own, added to this list in the order it
 * should run. The idle section must follow the fan-outs: its quiet minute is only quiet if
 * nothing runs during it. The webhook section runs last, with a gateway of its own.
 */
const SECTIONS: BenchSection[] = [fanOutSection, naiveSection, idleSection, schedulesSection, overheadSection, clientTokenSection, webhookLatencySection];

const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const settings = benchSettings();
  const sections = SECTIONS.filter((section) => settings.sections?.includes(section.name) ?? true);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${mib(totalmem())}, node ${process.version}, CLK_TCK ${clockTicksPerSecond()}`);
  console.log(`fake Microsoft latency ${settings.latencyMs} ms per response; XKIT_GRAPH_MAX_CONCURRENCY=${settings.concurrency}; gateway NODE_ENV=production LOG_LEVEL=info`);
  console.log(`sections: ${sections.map((section) => section.name).join(', ')}; load average at start ${load()}\n`);

  const bench = await startBench(settings);
  const checks: TargetCheck[] = [];
  try {
    for (const section of sections) {
      const { markdown, targets } = await section.run(bench);
      console.log(markdown);
      if (targets.length > 0) console.log(`\n${targetsTable(targets)}`);
      console.log('');
      checks.push(...targets);
    }
  } finally {
    await bench.stop();
  }
  if (checks.length > 0) console.log(`### Against the targets\n\n${targetsTable(checks)}\n`);
  console.log(`load average at the end ${load()} (1, 5, 15 min): on a busy machine every figure above is noisier.`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
