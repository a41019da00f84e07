import { referenceEvaluation } from './helpers/eval-reference';
test.each(['yc', 'dg', 'ml'])('ref %s', async (n) => {
  const t0 = Date.now();
  const r = await referenceEvaluation(`/tmp/evalwt/${n}.tsv`, { share: 0.2, k: 20, cap: 1000 });
  console.log(n, Date.now() - t0, JSON.stringify(r));
});
