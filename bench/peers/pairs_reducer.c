/* Reference phase-1 reducer in C (benchmark peer, not shipped).
 * stdin: path_id<TAB>product_id lines grouped by path_id (sorted).
 * stdout: source<TAB>target<TAB>1 for every ordered pair of distinct products
 * of a path (a product counts once per path; paths with more than 1000
 * distinct products are skipped, like dist/pairs-reducer.js's default).
 * Bad lines (not exactly two non-empty fields, or NULL) are skipped.
 * Build: gcc -O2 -o pairs_reducer pairs_reducer.c */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PRODUCTS 1000
#define OUT_SIZE (1 << 20)

static char *out_buf;
static size_t out_len;

static void out_flush(void) {
  if (out_len && fwrite(out_buf, 1, out_len, stdout) != out_len) { perror("write"); exit(1); }
  out_len = 0;
}

typedef struct { char *s; size_t n; } str;

static str *prods;      /* distinct products of the current path */
static size_t nprods, capprods;
static char *cur_path;
static size_t cur_len, cur_cap;

static int cmp_str(const void *a, const void *b) {
  const str *x = a, *y = b;
  size_t n = x->n < y->n ? x->n : y->n;
  int c = memcmp(x->s, y->s, n);
  return c ? c : (x->n > y->n) - (x->n < y->n);
}

static void emit_path(void) {
  if (nprods == 0) return;
  /* dedupe: sort, then unique */
  qsort(prods, nprods, sizeof(str), cmp_str);
  size_t k = 0;
  for (size_t i = 0; i < nprods; i++) {
    if (k > 0 && cmp_str(&prods[k - 1], &prods[i]) == 0) { free(prods[i].s); continue; }
    prods[k++] = prods[i];
  }
  if (k <= MAX_PRODUCTS) {
    for (size_t i = 0; i < k; i++)
      for (size_t j = 0; j < k; j++) {
        if (i == j) continue;
        size_t need = prods[i].n + prods[j].n + 4;
        if (out_len + need > OUT_SIZE) out_flush();
        char *p = out_buf + out_len;
        memcpy(p, prods[i].s, prods[i].n); p += prods[i].n; *p++ = '\t';
        memcpy(p, prods[j].s, prods[j].n); p += prods[j].n;
        *p++ = '\t'; *p++ = '1'; *p++ = '\n';
        out_len += need;
      }
  }
  for (size_t i = 0; i < k; i++) free(prods[i].s);
  nprods = 0;
}

int main(void) {
  out_buf = malloc(OUT_SIZE);
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  while ((len = getline(&line, &cap, stdin)) > 0) {
    if (line[len - 1] == '\n') len--;
    if (len > 0 && line[len - 1] == '\r') len--;
    char *tab = memchr(line, '\t', (size_t)len);
    if (!tab) continue;
    size_t plen = (size_t)(tab - line);
    char *prod = tab + 1;
    size_t qlen = (size_t)(line + len - prod);
    if (plen == 0 || qlen == 0 || memchr(prod, '\t', qlen)) continue;
    if ((plen == 4 && !memcmp(line, "NULL", 4)) || (qlen == 4 && !memcmp(prod, "NULL", 4))) continue;
    if (plen != cur_len || memcmp(line, cur_path, plen) != 0) {
      emit_path();
      if (plen > cur_cap) { cur_cap = plen * 2; cur_path = realloc(cur_path, cur_cap); }
      memcpy(cur_path, line, plen);
      cur_len = plen;
    }
    if (nprods == capprods) { capprods = capprods ? capprods * 2 : 64; prods = realloc(prods, capprods * sizeof(str)); }
    prods[nprods].s = malloc(qlen);
    memcpy(prods[nprods].s, prod, qlen);
    prods[nprods].n = qlen;
    nprods++;
  }
  emit_path();
  out_flush();
  if (fflush(stdout) != 0) { perror("write"); return 1; }
  free(line);
  return 0;
}
