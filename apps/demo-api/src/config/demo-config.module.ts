import { Global, Module } from '@nestjs/common';
import { DEMO_CONFIG, demoConfigFromEnv } from './demo-config';

/** The demo's settings, read once from the environment, for every feature to inject. */
@Global()
@Module({
  providers: [{ provide: DEMO_CONFIG, useFactory: () => demoConfigFromEnv() }],
  exports: [DEMO_CONFIG],
})
export class DemoConfigModule {}
