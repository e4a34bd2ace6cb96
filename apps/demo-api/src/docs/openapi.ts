import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** OpenAPI at /docs (UI) and /docs-json, built from the controllers' routes. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('db-optimizer leads demo')
    .setDescription(
      'A real-estate leads API on @db-optimizer/core. Reads go to replicas or the result cache, analytics to the analytics replica, ' +
        'writes to the primary. Send `x-session-key` (or a write\'s `x-consistency-token`) to read your own writes. ' +
        '`/db/*` and the dashboard data need DB_ADMIN_TOKEN when the app has one.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'DB_ADMIN_TOKEN, for /db/* and /dashboard data' })
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config));
}
