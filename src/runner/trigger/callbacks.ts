/**
 * Asynchronous trigger results (issue #13): some CSMS APIs queue a command and later POST the station's
 * answer to a `callbackUrl` the caller gives (CitrineOS). The harness serves one loopback HTTP endpoint per
 * run (127.0.0.1, ephemeral port, started on first use, closed at run end); every trigger call gets its own
 * path, and its callback body (JSON when it parses) resolves a bounded promise the case can await.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { ManualActionUnavailable } from '../errors';

const MAX_BODY = 1024 * 1024;

/** No callback arrived in time: the case cannot see the CSMS's result (ERROR when the case awaits it). */
export class CallbackTimeout extends ManualActionUnavailable {
  constructor(
    readonly action: string,
    readonly timeoutMs: number,
  ) {
    super(`the CSMS did not call back the result of ${action} within ${timeoutMs} ms`);
    this.name = 'CallbackTimeout';
  }
}

interface Pending {
  resolve: (body: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export interface CallbackSlot {
  url: string;
  /** The callback body (parsed JSON, else text); rejects with CallbackTimeout after timeoutMs. */
  result: Promise<unknown>;
  /** Forget the slot (the trigger failed): the promise rejects with `reason`. */
  cancel(reason: Error): void;
}

export class CallbackServer {
  private server: Server | undefined;
  private starting: Promise<string> | undefined;
  private readonly pending = new Map<string, Pending>();

  /** Base URL, starting the server on first use. */
  private base(): Promise<string> {
    this.starting ??= new Promise<string>((resolve, reject) => {
      const server = createServer((req, res) => this.onRequest(req, res));
      this.server = server;
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
    });
    return this.starting;
  }

  /** A fresh callback path for one trigger call, waiting at most timeoutMs for the CSMS. */
  async register(action: string, timeoutMs: number): Promise<CallbackSlot> {
    const base = await this.base();
    const id = randomUUID();
    let cancel!: (e: Error) => void;
    const result = new Promise<unknown>((resolve, reject) => {
      const settle = (f: () => void) => {
        const p = this.pending.get(id);
        if (!p) return;
        clearTimeout(p.timer);
        this.pending.delete(id);
        f();
      };
      const timer = setTimeout(() => settle(() => reject(new CallbackTimeout(action, timeoutMs))), timeoutMs);
      timer.unref();
      this.pending.set(id, { resolve: (b) => settle(() => resolve(b)), reject: (e) => settle(() => reject(e)), timer });
      cancel = (e) => this.pending.get(id)?.reject(e);
    });
    // Nobody may await it (a case that does not look at the result): never an unhandled rejection.
    result.catch(() => undefined);
    return { url: `${base}/callback/${id}`, result, cancel };
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const id = /^\/callback\/([0-9a-f-]{36})(?:[/?]|$)/.exec(req.url ?? '')?.[1];
    const answer = (status: number) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 200 ? '{"received":true}' : '{"error":"unknown callback"}');
    };
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      const p = id ? this.pending.get(id) : undefined;
      if (!p) return answer(404);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text.trim() ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON: the text as is */
      }
      p.resolve(body);
      answer(200);
    });
  }

  /** Close the endpoint; waiting callbacks reject. */
  async close(): Promise<void> {
    for (const p of [...this.pending.values()]) p.reject(new ManualActionUnavailable('the run ended before the CSMS called back'));
    const server = this.server;
    this.server = undefined;
    this.starting = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}
