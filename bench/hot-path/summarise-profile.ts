/**
 * Summarises any `.cpuprofile` (from `node --cpu-prof` or the benchmark's inspector run):
 * `tsx bench/hot-path/summarise-profile.ts <file> [top N]`.
 */
import { formatProfile, summariseProfile } from './profile.js';

const [file, top] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: tsx bench/hot-path/summarise-profile.ts <file.cpuprofile> [top N]\n');
  process.exit(2);
}
process.stdout.write(`${formatProfile(summariseProfile(file, Number(top ?? 25)))}\n`);
