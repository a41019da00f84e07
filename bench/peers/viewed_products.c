/* The whole job in single-threaded C, same algorithm (benchmark floor, not shipped).
 * Usage: viewed_products VIEWS.tsv > OUT.tsv
 * Reads path_id<TAB>product_id lines (a header line, empty and NULL ids and
 * lines without exactly two fields skipped), interns paths and products, keeps
 * each path's distinct products, skips paths with more than 1000 of them, ranks
 * the products by their bytes, then counts row by row (Gustavson): for each
 * product in byte order, the paths holding it are walked and every other
 * product met is counted in one array with a cell per product; the row's
 * targets come out in byte order from a two-level bitmap. Writes
 * source<TAB>target<TAB>count lines in byte order: run-job.sh's
 * viewed_products.tsv, byte for byte.
 * Build: cc -O2 -o viewed_products viewed_products.c */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#define MAX_PATH_PRODUCTS 1000
#define OUT_SIZE (1 << 20)

static void die(const char *what) { perror(what); exit(1); }
static void *xmalloc(size_t n) { void *p = malloc(n ? n : 1); if (!p) die("malloc"); return p; }
static void *xcalloc(size_t n, size_t s) { void *p = calloc(n ? n : 1, s); if (!p) die("calloc"); return p; }

/* An interning table: byte strings (pointers into the input) -> dense ids. */
typedef struct {
  uint32_t *slots; /* id + 1, 0 = empty */
  size_t mask;
  const char **str;
  uint32_t *len;
  uint32_t n, cap;
} intern_t;

static void intern_init(intern_t *t, size_t slots) {
  t->mask = slots - 1;
  t->slots = xcalloc(slots, sizeof(uint32_t));
  t->cap = 1024;
  t->n = 0;
  t->str = xmalloc(t->cap * sizeof(char *));
  t->len = xmalloc(t->cap * sizeof(uint32_t));
}

static uint64_t hash(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
  return h ^ (h >> 29);
}

static void intern_grow(intern_t *t) {
  size_t slots = (t->mask + 1) * 2;
  uint32_t *s = xcalloc(slots, sizeof(uint32_t));
  for (uint32_t id = 0; id < t->n; id++) {
    size_t i = hash(t->str[id], t->len[id]) & (slots - 1);
    while (s[i]) i = (i + 1) & (slots - 1);
    s[i] = id + 1;
  }
  free(t->slots);
  t->slots = s;
  t->mask = slots - 1;
}

static uint32_t intern(intern_t *t, const char *s, size_t n) {
  size_t i = hash(s, n) & t->mask;
  for (uint32_t v; (v = t->slots[i]) != 0; i = (i + 1) & t->mask) {
    if (t->len[v - 1] == n && memcmp(t->str[v - 1], s, n) == 0) return v - 1;
  }
  if (t->n == t->cap) {
    t->cap *= 2;
    t->str = realloc(t->str, t->cap * sizeof(char *));
    t->len = realloc(t->len, t->cap * sizeof(uint32_t));
    if (!t->str || !t->len) die("realloc");
  }
  uint32_t id = t->n++;
  t->str[id] = s;
  t->len[id] = (uint32_t)n;
  t->slots[i] = id + 1;
  if ((size_t)t->n * 2 > t->mask + 1) intern_grow(t);
  return id;
}

static intern_t products;

static int by_bytes(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  uint32_t nx = products.len[x], ny = products.len[y];
  int c = memcmp(products.str[x], products.str[y], nx < ny ? nx : ny);
  return c ? c : (nx > ny) - (nx < ny);
}

static char *out;
static size_t out_len;
static void out_flush(void) {
  if (out_len && fwrite(out, 1, out_len, stdout) != out_len) die("write");
  out_len = 0;
}

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: viewed_products VIEWS.tsv > OUT.tsv\n"); return 2; }
  int fd = open(argv[1], O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) die(argv[1]);
  size_t size = (size_t)st.st_size;
  const char *in = size ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0) : "";
  if (in == MAP_FAILED) die("mmap");

  /* read and intern: views as (path, product) ids */
  intern_t paths;
  intern_init(&paths, 1 << 16);
  intern_init(&products, 1 << 16);
  size_t nv = 0, capv = 1 << 20;
  uint32_t *vp = xmalloc(capv * sizeof(uint32_t)), *vq = xmalloc(capv * sizeof(uint32_t));
  for (const char *p = in, *end = in + size; p < end;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    const char *line = p;
    p = nl ? nl + 1 : end;
    if (le > line && le[-1] == '\r') le--;
    const char *tab = memchr(line, '\t', (size_t)(le - line));
    if (!tab) continue;
    const char *q = tab + 1;
    size_t pl = (size_t)(tab - line), ql = (size_t)(le - q);
    if (pl == 0 || ql == 0 || memchr(q, '\t', ql)) continue;
    if ((pl == 4 && !memcmp(line, "NULL", 4)) || (ql == 4 && !memcmp(q, "NULL", 4))) continue;
    if (pl == 7 && ql == 10 && !memcmp(line, "path_id", 7) && !memcmp(q, "product_id", 10)) continue;
    if (nv == capv) {
      capv *= 2;
      vp = realloc(vp, capv * sizeof(uint32_t));
      vq = realloc(vq, capv * sizeof(uint32_t));
      if (!vp || !vq) die("realloc");
    }
    vp[nv] = intern(&paths, line, pl);
    vq[nv] = intern(&products, q, ql);
    nv++;
  }
  uint32_t np = paths.n, nq = products.n;

  /* rank the products by their bytes */
  uint32_t *byrank = xmalloc(nq * sizeof(uint32_t)), *rank = xmalloc(nq * sizeof(uint32_t));
  for (uint32_t i = 0; i < nq; i++) byrank[i] = i;
  qsort(byrank, nq, sizeof(uint32_t), by_bytes);
  for (uint32_t r = 0; r < nq; r++) rank[byrank[r]] = r;

  /* each path's distinct products (as ranks), paths over the cap dropped */
  uint64_t *pstart = xcalloc((size_t)np + 1, sizeof(uint64_t));
  for (size_t i = 0; i < nv; i++) pstart[vp[i] + 1]++;
  for (uint32_t i = 0; i < np; i++) pstart[i + 1] += pstart[i];
  uint32_t *pitems = xmalloc(nv * sizeof(uint32_t));
  uint64_t *fill = xmalloc((size_t)np * sizeof(uint64_t));
  memcpy(fill, pstart, (size_t)np * sizeof(uint64_t));
  for (size_t i = 0; i < nv; i++) pitems[fill[vp[i]]++] = rank[vq[i]];
  free(vp); free(vq); free(fill);
  uint32_t *seen = xmalloc(nq * sizeof(uint32_t));
  memset(seen, 0xff, nq * sizeof(uint32_t));
  uint64_t *kstart = xcalloc((size_t)np + 1, sizeof(uint64_t));
  uint32_t *kitems = pitems; /* compacted in place */
  uint64_t k = 0;
  uint32_t *qcount = xcalloc((size_t)nq + 1, sizeof(uint32_t));
  for (uint32_t p = 0; p < np; p++) {
    uint64_t from = k;
    for (uint64_t i = pstart[p]; i < pstart[p + 1]; i++) {
      uint32_t r = pitems[i];
      if (seen[r] != p) { seen[r] = p; kitems[k++] = r; }
    }
    if (k - from > MAX_PATH_PRODUCTS) k = from;
    else for (uint64_t i = from; i < k; i++) qcount[kitems[i] + 1]++;
    kstart[p + 1] = k;
  }
  free(pstart); free(seen);

  /* the paths holding each product */
  for (uint32_t r = 0; r < nq; r++) qcount[r + 1] += qcount[r];
  uint32_t *qpaths = xmalloc((k ? k : 1) * sizeof(uint32_t));
  uint32_t *qfill = xmalloc((size_t)nq * sizeof(uint32_t));
  memcpy(qfill, qcount, (size_t)nq * sizeof(uint32_t));
  for (uint32_t p = 0; p < np; p++)
    for (uint64_t i = kstart[p]; i < kstart[p + 1]; i++) qpaths[qfill[kitems[i]]++] = p;
  free(qfill);

  /* the ids' bytes by rank in one arena: a row's targets, ascending, read it front to back */
  uint64_t *soff = xmalloc(((size_t)nq + 1) * sizeof(uint64_t));
  soff[0] = 0;
  for (uint32_t r = 0; r < nq; r++) soff[r + 1] = soff[r] + products.len[byrank[r]];
  char *sbytes = xmalloc(soff[nq] ? soff[nq] : 1);
  for (uint32_t r = 0; r < nq; r++) memcpy(sbytes + soff[r], products.str[byrank[r]], products.len[byrank[r]]);

  /* count row by row; targets in rank order from a two-level bitmap */
  uint32_t *cnt = xcalloc(nq, sizeof(uint32_t));
  size_t nw = ((size_t)nq + 63) / 64, nw2 = (nw + 63) / 64;
  uint64_t *bits = xcalloc(nw, sizeof(uint64_t)), *bits2 = xcalloc(nw2, sizeof(uint64_t));
  out = xmalloc(OUT_SIZE);
  for (uint32_t r = 0; r < nq; r++) {
    for (uint32_t j = qcount[r]; j < qcount[r + 1]; j++) {
      uint32_t p = qpaths[j];
      for (uint64_t i = kstart[p]; i < kstart[p + 1]; i++) {
        uint32_t t = kitems[i];
        if (t == r) continue;
        if (cnt[t]++ == 0) { bits[t >> 6] |= 1ULL << (t & 63); bits2[t >> 12] |= 1ULL << ((t >> 6) & 63); }
      }
    }
    const char *s = sbytes + soff[r];
    uint32_t sl = (uint32_t)(soff[r + 1] - soff[r]);
    for (size_t w2 = 0; w2 < nw2; w2++) {
      for (uint64_t b2 = bits2[w2]; b2; b2 &= b2 - 1) {
        size_t w = w2 * 64 + (size_t)__builtin_ctzll(b2);
        for (uint64_t b = bits[w]; b; b &= b - 1) {
          uint32_t t = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(b));
          uint32_t tl = (uint32_t)(soff[t + 1] - soff[t]);
          if (out_len + sl + tl + 24 > OUT_SIZE) out_flush();
          char *o = out + out_len;
          memcpy(o, s, sl); o += sl; *o++ = '\t';
          memcpy(o, sbytes + soff[t], tl); o += tl; *o++ = '\t';
          char digits[12];
          int nd = 0;
          for (uint32_t c = cnt[t]; c; c /= 10) digits[nd++] = (char)('0' + c % 10);
          while (nd) *o++ = digits[--nd];
          *o++ = '\n';
          out_len = (size_t)(o - out);
          cnt[t] = 0;
        }
        bits[w] = 0;
      }
      bits2[w2] = 0;
    }
  }
  out_flush();
  if (fflush(stdout) != 0) die("write");
  return 0;
}
