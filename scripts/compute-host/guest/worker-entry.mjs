// Worker threads do not inherit a TypeScript loader from vitest or tsx; this loads the worker through tsx.
import { tsImport } from 'tsx/esm/api';

await tsImport('./worker.ts', import.meta.url);
