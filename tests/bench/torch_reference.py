#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""PyTorch reference for bench_trainer (issue [4/6] "Benchmark").

Builds the same model as core/trainer (token + position embedding, pre-LN encoder blocks with
fused QKV, tanh-GELU FFN, residuals; BERT preset: final LN + mean pool over valid positions +
linear classifier; Transformer preset: final LN + decoder blocks with causal self-attention,
cross-attention and FFN + LM head), fp32, dropout 0, AdamW(wd 0.01) + global-norm clipping 1.0,
and times training steps on a random batch of the same size.

Run with Debian's interpreter and a fair setting (toolchain.md):
  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 tests/bench/torch_reference.py --threads 1
Options mirror the presets: --preset default|classroom, --steps N.
"""
import argparse
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PRESETS = {
    # name: (family, enc blocks, dec blocks, d, heads, dff, seq, batch, vocab, classes, tgt)
    # Kept equal to resources/scenarios/*.json (model.trainer, encoder/decoder blocks, batch).
    "default": ("bert", 12, 0, 64, 4, 256, 64, 16, 585, 4, 0),
    "classroom": ("transformer", 4, 1, 32, 4, 64, 32, 32, 96, 0, 11),
}


class Attn(nn.Module):
    def __init__(self, d, heads, cross=False):
        super().__init__()
        self.h = heads
        self.cross = cross
        if cross:
            self.q = nn.Linear(d, d)
            self.kv = nn.Linear(d, 2 * d)
        else:
            self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, mem=None, mask=None):
        b, t, d = x.shape
        if self.cross:
            q = self.q(x)
            k, v = self.kv(mem).split(d, dim=2)
        else:
            q, k, v = self.qkv(x).split(d, dim=2)
        s = k.shape[1]
        q = q.view(b, t, self.h, -1).transpose(1, 2)
        k = k.view(b, s, self.h, -1).transpose(1, 2)
        v = v.view(b, s, self.h, -1).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(q.shape[-1])
        if mask is not None:
            att = att.masked_fill(mask, float("-inf"))
        y = F.softmax(att, dim=-1) @ v
        return self.o(y.transpose(1, 2).reshape(b, t, d))


class Ffn(nn.Module):
    def __init__(self, d, dff):
        super().__init__()
        self.a = nn.Linear(d, dff)
        self.b = nn.Linear(dff, d)

    def forward(self, x):
        return self.b(F.gelu(self.a(x), approximate="tanh"))


class Enc(nn.Module):
    def __init__(self, d, h, dff):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.att, self.ffn = Attn(d, h), Ffn(d, dff)

    def forward(self, x, kmask):
        x = x + self.att(self.ln1(x), mask=kmask)
        return x + self.ffn(self.ln2(x))


class Dec(nn.Module):
    def __init__(self, d, h, dff):
        super().__init__()
        self.ln1, self.ln2, self.ln3 = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)
        self.self_att, self.cross_att, self.ffn = Attn(d, h), Attn(d, h, True), Ffn(d, dff)

    def forward(self, y, mem, causal, kmask):
        y = y + self.self_att(self.ln1(y), mask=causal)
        y = y + self.cross_att(self.ln2(y), mem=mem, mask=kmask)
        return y + self.ffn(self.ln3(y))


class Model(nn.Module):
    def __init__(self, fam, L, Ld, d, h, dff, seq, vocab, classes, tgt):
        super().__init__()
        self.fam = fam
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Parameter(torch.randn(seq, d) * 0.02)
        self.enc = nn.ModuleList([Enc(d, h, dff) for _ in range(L)])
        self.lnf = nn.LayerNorm(d)
        if fam == "bert":
            self.cls = nn.Linear(d, classes)
        else:
            self.dtok, self.dpos = nn.Embedding(vocab, d), nn.Parameter(torch.randn(tgt, d) * 0.02)
            self.dec = nn.ModuleList([Dec(d, h, dff) for _ in range(Ld)])
            self.lnd, self.lm = nn.LayerNorm(d), nn.Linear(d, vocab)

    def forward(self, src, valid, dec_in=None, target=None, labels=None):
        b, s = src.shape
        kmask = (torch.arange(s)[None, :] >= valid[:, None])[:, None, None, :]
        x = self.tok(src) + self.pos[None]
        for blk in self.enc:
            x = blk(x, kmask)
        mem = self.lnf(x)
        if self.fam == "bert":
            keep = (~kmask[:, 0, 0, :]).float()[..., None]
            pooled = (mem * keep).sum(1) / keep.sum(1)
            return F.cross_entropy(self.cls(pooled), labels)
        t = dec_in.shape[1]
        causal = torch.triu(torch.ones(t, t, dtype=torch.bool), 1)[None, None]
        y = self.dtok(dec_in) + self.dpos[None]
        for blk in self.dec:
            y = blk(y, mem, causal, kmask)
        logits = self.lm(self.lnd(y))
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1),
                               ignore_index=-1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", choices=PRESETS, default="default")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--batch", type=int, default=0,
                    help="override the preset's batch (e.g. 2x for the 2-thread pairing)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    fam, L, Ld, d, h, dff, seq, B, vocab, classes, tgt = PRESETS[a.preset]
    B = a.batch or B
    m = Model(fam, L, Ld, d, h, dff, seq, vocab, classes, tgt)
    opt = torch.optim.AdamW(m.parameters(), lr=1e-3, weight_decay=0.01)
    src = torch.randint(4, vocab, (B, seq))
    valid = torch.randint(seq // 2, seq + 1, (B,))
    kw = {}
    if fam == "bert":
        kw["labels"] = torch.randint(0, classes, (B,))
    else:
        kw["dec_in"] = torch.randint(4, vocab, (B, tgt))
        kw["target"] = torch.randint(4, vocab, (B, tgt))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = m(src, valid, **kw)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
        opt.step()
        return loss.item()

    step()
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(a.steps):
        loss = step()
    sec, cpu = time.perf_counter() - t0, time.process_time() - c0
    tokens = a.steps * B * seq
    print(f"torch {torch.__version__} {a.preset}: {a.threads} thread(s), B={B}, "
          f"{sec / a.steps:.3f} s/step, {tokens / sec:.0f} tokens/s ({tokens / cpu:.0f} per CPU-s) "
          f"(loss {loss:.3f})")


if __name__ == "__main__":
    main()
