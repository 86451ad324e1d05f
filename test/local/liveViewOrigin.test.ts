// npm start's live page serves its own origin only, and a client that never reads cannot make it
// hold more than its history plus a bounded backlog (issue 26, kind 5). Raw sockets, so that the
// test writes exactly the Host it means (a browser or http.request would fill it in).

import { strict as assert } from "node:assert";
import { connect, type Socket } from "node:net";
import { MAX_CLIENTS, startLiveView, type LiveView, type LiveWindow } from "../../local/liveView";

/** Sends `request` as written and resolves with everything the server answered until it closed. */
function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, "127.0.0.1", () => s.write(request));
    let got = "";
    s.on("data", (d: Buffer) => (got += d.toString()));
    s.on("end", () => resolve(got));
    s.on("error", reject);
  });
}

/** Reads an answer's status line and headers only, then closes (for event streams, which never end). */
function head(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, "127.0.0.1", () => s.write(request));
    let got = "";
    s.on("data", (d: Buffer) => {
      got += d.toString();
      if (got.includes("\r\n\r\n")) {
        s.destroy();
        resolve(got.slice(0, got.indexOf("\r\n\r\n")));
      }
    });
    s.on("end", () => resolve(got));
    s.on("error", reject);
  });
}

const window = (i: number): LiveWindow => ({
  windowStart: new Date(Date.UTC(2026, 10, 30, 10) + i * 1000).toISOString(),
  windowEnd: new Date(Date.UTC(2026, 10, 30, 10) + (i + 1) * 1000).toISOString(),
  labSeconds: i * 10,
  clicks: 10,
  impressions: 10,
  ctrPercent: 100,
  anomalyScore: 1.25,
  anomaly: false,
  beforeBurst: true,
});

describe("npm start's live page: its own origin, bounded clients (issue 26, kind 5)", () => {
  let view: LiveView;
  let port: number;
  beforeEach(async () => {
    view = await startLiveView({ threshold: 2, windowSeconds: 1, compression: 10 });
    port = Number(new URL(view.url).port);
  });
  afterEach(() => view.close());

  it("refuses a page request whose Host is another name (DNS rebinding, the reported input) and serves its own", async () => {
    const foreign = await raw(port, `GET / HTTP/1.1\r\nHost: rebind.attacker.example:${port}\r\nConnection: close\r\n\r\n`);
    assert.match(foreign, /^HTTP\/1\.1 403 /);
    assert.doesNotMatch(foreign, /<html/i);
    assert.match(foreign, new RegExp(`answers to Host 127\\.0\\.0\\.1:${port} only, not "rebind\\.attacker\\.example:${port}"`));
    const own = await raw(port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    assert.match(own, /^HTTP\/1\.1 200 /);
    assert.match(own, /<html/i);
  });

  for (const [name, hostLine] of [
    ["localhost", (p: number) => `Host: localhost:${p}\r\n`],
    ["another port", (p: number) => `Host: 127.0.0.1:${p + 1}\r\n`],
    ["no port", () => "Host: 127.0.0.1\r\n"],
    ["an IPv6 loopback", (p: number) => `Host: [::1]:${p}\r\n`],
    ["a name that ends like it", (p: number) => `Host: evil127.0.0.1:${p}\r\n`],
  ] as const)
    it(`refuses Host ${name}, on the page, the state and the event stream`, async () => {
      for (const path of ["/", "/state", "/events"])
        assert.match(
          await raw(port, `GET ${path} HTTP/1.1\r\n${hostLine(port)}Connection: close\r\n\r\n`),
          /^HTTP\/1\.1 403 /,
          `${name} ${path}`,
        );
    });

  it("refuses a request without Host (HTTP/1.0), and one whose Origin is another site", async () => {
    assert.match(await raw(port, "GET /state HTTP/1.0\r\n\r\n"), /^HTTP\/1\.1 403 [^]*a request without Host/);
    const cross = await raw(
      port,
      `GET /state HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://attacker.example\r\nConnection: close\r\n\r\n`,
    );
    assert.match(cross, /^HTTP\/1\.1 403 [^]*a request from "http:\/\/attacker\.example"/);
    const same = await raw(
      port,
      `GET /state HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
    );
    assert.match(same, /^HTTP\/1\.1 200 /);
  });

  it("disconnects an event-stream client that never reads once its backlog passes the bound, and keeps one that reads", async () => {
    const request = `GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`;
    // The page as a browser has it: reads everything.
    let fastBytes = 0;
    let fastClosed = false;
    const fast: Socket = connect(port, "127.0.0.1", () => fast.write(request));
    fast.on("close", () => (fastClosed = true));
    await new Promise<void>((r) => fast.once("data", (d: Buffer) => ((fastBytes += d.length), r())));
    fast.on("data", (d: Buffer) => (fastBytes += d.length));
    // The slow client: takes its history, then reads nothing more (the kernel's buffers fill, then this process's).
    let slowBytes = 0;
    const slow: Socket = connect(port, "127.0.0.1", () => slow.write(request));
    await new Promise<void>((r) => slow.once("data", (d: Buffer) => ((slowBytes += d.length), r())));
    slow.pause();

    // Far more than the loopback socket buffers and the bound together: about 40 MB of events.
    const frameBytes = Buffer.byteLength(`event: window\ndata: ${JSON.stringify(window(0))}\n\n`);
    const count = Math.ceil((40 << 20) / frameBytes);
    for (let i = 0; i < count; i++) {
      view.events.window(window(i));
      if (i % 2000 === 0) await new Promise((r) => setImmediate(r)); // let the reading client read
    }

    // Now read what the slow client was left: the server must have closed it before the end.
    const slowEnded = new Promise<void>((resolve) => {
      slow.on("data", (d: Buffer) => (slowBytes += d.length));
      slow.on("close", () => resolve());
    });
    slow.resume();
    await slowEnded;
    assert.ok(slowBytes < count * frameBytes, `the slow client was sent everything (${slowBytes} bytes): never disconnected`);
    while (fastBytes < count * frameBytes && !fastClosed) await new Promise((r) => setTimeout(r, 50));
    assert.ok(!fastClosed, "the client that reads is kept");
    assert.ok(fastBytes >= count * frameBytes, "and gets every event");
    fast.destroy();
  });

  it(`answers 503 to event stream ${MAX_CLIENTS + 1}, and takes new ones when one goes`, async () => {
    const request = `GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`;
    const open: Socket[] = [];
    for (let i = 0; i < MAX_CLIENTS; i++) {
      const s = connect(port, "127.0.0.1", () => s.write(request));
      await new Promise<void>((r) => s.once("data", () => r()));
      open.push(s);
    }
    assert.match(await raw(port, request.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n")), /^HTTP\/1\.1 503 /);
    open.pop()!.destroy();
    // The server learns of the close on its own time: ask until it has room again.
    while (!/^HTTP\/1\.1 200 /.test(await head(port, request))) await new Promise((r) => setTimeout(r, 50));
    for (const s of open) s.destroy();
  });
});
