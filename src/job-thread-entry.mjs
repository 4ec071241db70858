// The entry of the job thread (src/job-thread.ts). Node 20 does not apply `--import tsx` to a worker's
// entry module, so the thread registers tsx itself before loading the TypeScript body.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.body);
