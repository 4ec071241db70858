// Entry of a search-text worker thread. Worker threads do not inherit the TypeScript loader the
// main thread runs under, so it is registered here before the worker module is loaded.
import { register } from 'tsx/esm/api';

register();
await import('./search-text-worker.ts');
