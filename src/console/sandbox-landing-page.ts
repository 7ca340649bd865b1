import { randomBytes } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';

const SANDBOX_CDN = 'https://embeddable-sandbox.cdn.apollographql.com';
const SANDBOX_SCRIPT = `${SANDBOX_CDN}/v2/embeddable-sandbox.umd.production.min.js`;
/** Long enough for a slow link to fetch Sandbox; a firewall that drops packets never answers at all. */
const SANDBOX_TIMEOUT_MS = 10_000;

/**
 * GET /graphql in a browser (outside production): Apollo Sandbox, as Apollo's own landing page
 * embeds it, with one difference that matters to air-gapped operators: when Sandbox's script
 * cannot be fetched from Apollo's CDN, the page says so and links to /graphiql, which the gateway
 * serves itself. Apollo's page only says "you might be offline".
 */
export function sandboxLandingPage(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: async () => landingPage(randomBytes(16).toString('base64')) };
        },
      };
    },
  };
}

function landingPage(nonce: string): string {
  // What Apollo's own landing page allows for the embedded Sandbox, and no more.
  const policy = [
    `script-src 'nonce-${nonce}' ${SANDBOX_CDN}`,
    `style-src 'nonce-${nonce}' ${SANDBOX_CDN}`,
    "img-src 'self' data: https://apollo-server-landing-page.cdn.apollographql.com",
    'frame-src https://sandbox.embed.apollographql.com',
    "base-uri 'none'",
  ].join('; ');
  const sandbox = JSON.stringify({
    target: '#sandbox',
    initialState: { includeCookies: false },
    endpointIsEditable: false,
    hideCookieToggle: false,
    runTelemetry: false,
    allowDynamicStyles: false,
  });
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta http-equiv="Content-Security-Policy" content="${policy}">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Xkit gateway · GraphQL</title>
    <style nonce="${nonce}">
      body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: #1f2328; }
      #sandbox { position: absolute; inset: 0; }
      #sandbox iframe { width: 100%; height: 100%; border: 0; }
      .fallback { max-width: 38rem; margin: 3rem auto; padding: 0 1rem; }
      .fallback a { color: #0550ae; }
      .fallback a:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
    </style>
  </head>
  <body>
    <main class="fallback" id="fallback" hidden>
      <h1>Apollo Sandbox cannot load here</h1>
      <p>Sandbox's script comes from Apollo's CDN (embeddable-sandbox.cdn.apollographql.com), and this browser
        could not fetch it: it may be offline, or a firewall blocks the CDN.</p>
      <p><a href="/graphiql">Open GraphiQL at /graphiql</a>: a GraphQL IDE the gateway serves itself, with nothing loaded from the internet.
        The admin console is at <a href="/console">/console</a>.</p>
    </main>
    <noscript><p class="fallback">Sandbox needs JavaScript. <a href="/graphiql">GraphiQL</a> does too; <code>curl</code> does not (see the README).</p></noscript>
    <div id="sandbox"></div>
    <script nonce="${nonce}">
      (function () {
        var fallback = document.getElementById('fallback');
        var shown = false;
        function showFallback() {
          if (shown) return;
          shown = true;
          document.getElementById('sandbox').remove();
          fallback.hidden = false;
        }
        var timer = setTimeout(showFallback, ${SANDBOX_TIMEOUT_MS});
        var script = document.createElement('script');
        script.nonce = ${JSON.stringify(nonce)};
        script.src = ${JSON.stringify(SANDBOX_SCRIPT)};
        script.onerror = showFallback;
        script.onload = function () {
          clearTimeout(timer);
          if (shown || !window.EmbeddedSandbox) return showFallback();
          new window.EmbeddedSandbox(Object.assign(${sandbox}, { initialEndpoint: location.href.split('#')[0] }));
        };
        document.head.appendChild(script);
      })();
    </script>
  </body>
</html>
`;
}
