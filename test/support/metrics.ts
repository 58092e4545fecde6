/** One series' value on the bridge's /metrics, e.g. `bridge_deliveries_handed_off_total{sink="hook"}`; 0 when absent. */
export async function metricValue(url: string, series: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
