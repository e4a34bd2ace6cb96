import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { setupOpenApi } from './docs/openapi';
import { startEmbeddedDatabaseIfNeeded } from './embedded/embedded-database';
import { describeDotEnv, loadDotEnv } from './env/load-dot-env';

/**
 * Starts the demo API. It first reads `.env` when there is one (variables already set win).
 * With no DATABASE_PRIMARY_URL it then starts its own
 * PostgreSQL primary and two standbys (the embedded default) and stops them on
 * Ctrl-C or SIGTERM, so nothing is left running.
 */
async function bootstrap(): Promise<void> {
  const logger = new Logger('DemoApi');
  // Before anything reads the environment (the embedded cluster check, the module's options).
  logger.log(describeDotEnv(loadDotEnv()));
  const embedded = await startEmbeddedDatabaseIfNeeded(logger);
  let app: Awaited<ReturnType<typeof NestFactory.create>> | undefined;
  let stopping = false;
  const shutdown = async (reason: string, exitCode: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.log(`${reason}: shutting down.`);
    try {
      await app?.close();
    } catch (error) {
      logger.error(`Closing the app failed: ${(error as Error).message}`);
    }
    if (embedded) {
      await embedded.stop().catch((error: unknown) => logger.error(`Stopping the embedded cluster failed: ${(error as Error).message}`));
      logger.log('Embedded PostgreSQL cluster stopped.');
    }
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  try {
    app = await NestFactory.create(AppModule, { bufferLogs: false });
    setupOpenApi(app);
    const port = Number(process.env['PORT'] ?? 3000);
    await app.listen(port);
    logger.log(`Demo API listening on http://localhost:${port} (try GET /leads?city=Lisbon, /agents/stats, /health, /metrics; OpenAPI at /docs)`);
    logger.log(`Dashboard: http://localhost:${port}/dashboard`);
  } catch (error) {
    logger.error(`Could not start: ${(error as Error).message}`);
    await shutdown('startup failure', 1);
  }
}

void bootstrap();
