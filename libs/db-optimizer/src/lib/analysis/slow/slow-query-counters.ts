import type { Suggestion } from '../rules/suggestion.interface';
import type { SlowQueryExplainerStats } from './slow-query-analysis.interface';

/** The explainer's counters, kept apart so the explainer holds only decisions. */
export class SlowQueryCounters {
  offered = 0;
  started = 0;
  explained = 0;
  failed = 0;
  skippedRecentlyExplained = 0;
  skippedBusy = 0;
  skippedRateLimited = 0;
  skippedUnexplainable = 0;
  private suggestionsMade = 0;
  private readonly byRule = new Map<string, number>();

  countSuggestions(suggestions: readonly Suggestion[]): void {
    this.suggestionsMade += suggestions.length;
    for (const suggestion of suggestions) this.byRule.set(suggestion.ruleId, (this.byRule.get(suggestion.ruleId) ?? 0) + 1);
  }

  snapshot(stored: number): SlowQueryExplainerStats {
    return {
      offered: this.offered,
      started: this.started,
      explained: this.explained,
      failed: this.failed,
      skippedRecentlyExplained: this.skippedRecentlyExplained,
      skippedBusy: this.skippedBusy,
      skippedRateLimited: this.skippedRateLimited,
      skippedUnexplainable: this.skippedUnexplainable,
      suggestionsMade: this.suggestionsMade,
      suggestionsByRule: Object.fromEntries(this.byRule),
      stored,
    };
  }
}
