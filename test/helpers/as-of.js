// Version judgements (plan findings, platform upgrade) depend on a date: every test, and every CLI
// it spawns, judges on this one unless it passes --as-of itself. Never today's clock.
process.env.PLATFORM_AS_OF = '2026-12-01';
