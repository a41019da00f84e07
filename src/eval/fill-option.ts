/**
 * evaluate.js --catalog FILE: reads the catalog as serve.js does (a bad one is
 * a usage error, exit 2), and gives the evaluation its hooks (fill-eval.ts on
 * each job score's result file) and the list depth the server reads for K.
 */
import { UsageError } from '../io/cli';
import { Catalog, CatalogError } from '../serve/catalog';
import { readDepth } from '../serve/fill';
import { MAX_N } from '../serve/store';
import { Events } from './events';
import { fillMetrics, FillMetrics, formatFill } from './fill-eval';
import { ReportFormat } from './report';

export function fillOption(file: string, k: number, format: ReportFormat) {
  let catalog: Catalog;
  try {
    catalog = Catalog.readFile(file);
  } catch (e) {
    if (e instanceof CatalogError || (e instanceof Error && 'code' in e)) throw new UsageError(`--catalog: ${e.message}`);
    throw e;
  }
  const products = [...catalog.keys()];
  let events: Events | null = null;
  const rows: FillMetrics[] = [];
  return {
    /** The job keeps as deep a list as the server reads for n = K. */
    depth: Math.max(k, readDepth(k, MAX_N)),
    hooks: {
      onEvents: (e: Events): void => void (events = e),
      onJobResult: (score: string, resultFile: string): void => {
        if (events === null) return;
        rows.push(fillMetrics({ name: score, resultFile, catalog, products, queries: events.queries, targets: events.targets, k }));
      },
    },
    table: (): string => formatFill(rows, k, format === 'tsv'),
  };
}
