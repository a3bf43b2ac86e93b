// Installed before the RoomDeck page's own scripts (Browser.addInitScript): the page's WebSocket to /ws and
// its token request go to an in-page FakeSfu (fake-sfu.js) instead of a server. Test fixture only.
(() => {
  const ready = import('/fake-sfu.js').then(m => new m.FakeSfu());
  window.__sfuReady = ready;
  ready.then(sfu => { window.__sfu = sfu; });

  window.WebSocket = class ShimWebSocket {
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.onopen = this.onmessage = this.onclose = this.onerror = null;
      this._inner = null;
      this._closeWanted = false;
      ready.then(sfu => {
        const Inner = sfu.socketClass();
        const inner = this._inner = new Inner(url);
        inner.onopen = e => { this.readyState = 1; if (this.onopen) this.onopen(e); };
        inner.onmessage = e => { if (this.onmessage) this.onmessage(e); };
        inner.onclose = e => { this.readyState = 3; if (this.onclose) this.onclose(e); };
        if (this._closeWanted) inner.close();
      });
    }
    send(text) { this._inner.send(text); }
    close(code, reason) {
      this.readyState = 3;
      if (this._inner) this._inner.close(code, reason); else this._closeWanted = true;
    }
  };

  const realFetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input.url;
    if (url.endsWith('/api/generateToken')) {
      return Promise.resolve(new Response(JSON.stringify({ s: 10000, d: { token: 'fake' }, e: '' }),
          { headers: { 'Content-Type': 'application/json' } }));
    }
    return realFetch(input, init);
  };

  /** A second participant without UI, in the same page: publishes the fake camera as `name`. */
  window.__addPeer = async (name, { media = true } = {}) => {
    const { RoomClient, openLocalMedia } = await import('/rtcengine.js');
    const sfu = await ready;
    const real = window.__realGetUserMedia; // set by tests that make the page's own getUserMedia fail
    const stream = !media ? null : real ? await real({ audio: true, video: true }) : (await openLocalMedia()).stream;
    const c = new RoomClient({ WebSocket: sfu.socketClass(), tokenProvider: sfu.tokenProvider() });
    (window.__peers = window.__peers || {})[name] = c;
    await c.join({ room: 'room', user: name, localStream: stream, attributes: { name } });
    return c.state;
  };
})();
