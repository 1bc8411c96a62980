import { TEST_ENV } from './fixtures/test-env.js';

// child processes the tests spawn inherit these (see test/fixtures/test-env.ts)
for (const [name, value] of Object.entries(TEST_ENV)) process.env[name] ??= value;
