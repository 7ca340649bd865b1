import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import type { Request, Response } from 'express';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

interface Asset {
  body: Buffer;
  contentType: string;
}

/**
 * The console's hand-written files (src/console/assets), read once at start and served from a
 * URL that holds a hash of them all: /console/assets/<version>/app.js. The pages are rendered
 * with that version, so every asset can be cached for a year, and relative ES module imports
 * (`./api.js`) stay inside the same version. There is no build step and no watcher at run time.
 */
export class ConsoleAssets {
  readonly basePath: string;

  private constructor(private readonly files: Map<string, Asset>) {
    const hash = createHash('sha256');
    for (const [name, asset] of [...files].sort(([a], [b]) => a.localeCompare(b))) hash.update(name).update(asset.body);
    this.basePath = `/console/assets/${hash.digest('hex').slice(0, 12)}`;
  }

  static load(directory = assetsDirectory()): ConsoleAssets {
    const files = new Map<string, Asset>();
    for (const path of listFiles(directory)) {
      const contentType = CONTENT_TYPES[extname(path)];
      if (!contentType) continue;
      files.set(relative(directory, path).split(sep).join('/'), { body: readFileSync(path), contentType });
    }
    return new ConsoleAssets(files);
  }

  url(name: string): string {
    if (!this.files.has(name)) throw new Error(`console asset ${name} does not exist in src/console/assets`);
    return `${this.basePath}/${name}`;
  }

  /** GET /console/assets/:version/*: the current version only; an old page gets a 404 and reloads. */
  serve = (req: Request, res: Response): void => {
    const prefix = `${this.basePath}/`;
    const asset = req.path.startsWith(prefix) ? this.files.get(req.path.slice(prefix.length)) : undefined;
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (!asset) {
      res.setHeader('Cache-Control', 'no-store');
      res.status(404).type('text/plain').send('No such console asset (the gateway was probably upgraded): reload the page.');
      return;
    }
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('Content-Type', asset.contentType);
    res.send(asset.body);
  };
}

function listFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

/** The assets are served from the source tree: compiled code runs from dist/src/console, tests from src/console. */
function assetsDirectory(): string {
  const candidates = [resolve(__dirname, 'assets'), resolve(__dirname, '../../../src/console/assets')];
  const found = candidates.find((candidate) => existsSync(join(candidate, 'app.js')));
  if (!found) throw new Error(`the console's assets are missing: looked in ${candidates.join(' and ')}`);
  return found;
}
