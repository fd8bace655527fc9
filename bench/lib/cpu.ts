// CPU time spent by the parts of a benchmark (the server process, its PostgreSQL sessions, the
// benchmark itself), read from /proc. On a busy machine a rate depends on what else runs; the CPU
// each part spends per unit of work does much less, so benchmarks report both.
import fs from 'node:fs';
import pg from 'pg';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime + stime of a process in milliseconds (0 when it is gone or /proc is absent). */
export function processCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** The URL with `application_name` set, so the sessions of the process given it can be found. */
export function namedUrl(url: string, name: string): string {
  const u = new URL(url);
  u.searchParams.set('application_name', name);
  return u.toString();
}

/**
 * A meter for one phase: call `start()` before it and `stop()` after; gives the CPU milliseconds of
 * the server process, of the PostgreSQL sessions named `appName` (sessions opened during the phase
 * count from zero) and of this process.
 */
export function cpuMeter(adminUrl: string, serverPid: number, appName: string) {
  const sessions = async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      const r = await c.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [appName]);
      return r.rows.map((x) => x.pid);
    } finally {
      await c.end();
    }
  };
  let before: { server: number; pg: Map<number, number>; self: NodeJS.CpuUsage } | null = null;
  return {
    async start() {
      const pids = await sessions();
      before = { server: processCpuMs(serverPid), pg: new Map(pids.map((p) => [p, processCpuMs(p)])), self: process.cpuUsage() };
    },
    async stop() {
      if (!before) throw new Error('cpuMeter.stop before start');
      const pids = await sessions();
      const self = process.cpuUsage(before.self);
      const postgres = pids.reduce((sum, p) => sum + Math.max(0, processCpuMs(p) - (before!.pg.get(p) ?? 0)), 0);
      return { serverMs: processCpuMs(serverPid) - before.server, postgresMs: postgres, benchMs: Math.round((self.user + self.system) / 1000) };
    },
  };
}
