import { jest } from '@jest/globals';

// an e2e suite starts a whole service (stores, two worker threads, logins hashed with scrypt):
// on a loaded 2-core machine that takes longer than jest's default 5 s
jest.setTimeout(30_000);
