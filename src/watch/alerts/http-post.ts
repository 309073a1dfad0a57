// POSTs JSON to a channel's URL; any answer but 2xx is a failure with the status and a short body.

export async function postJson(url: string, body: unknown, signal: AbortSignal, headers: Record<string, string> = {}): Promise<void> {
  const res = await fetch(url, {
    method: 'POST', body: JSON.stringify(body), signal, redirect: 'error',
    headers: { 'content-type': 'application/json', 'user-agent': 'fivexx-watch', ...headers },
  });
  if (res.status < 200 || res.status > 299) {
    const text = (await res.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ');
    throw new Error(`HTTP ${res.status}${text ? `: ${text}` : ''}`);
  }
  await res.body?.cancel().catch(() => undefined);
}
