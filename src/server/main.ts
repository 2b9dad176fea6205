// Entry point of `npm start`: configuration from HUSH_* variables only.
import { configOrExit, serve } from './serve.js';

serve(configOrExit(process.env)).catch((err: unknown) => {
  process.stderr.write(`hush: could not start: ${(err as Error).message}\n`);
  process.exit(1);
});
