"""The emotion-v1 network: hashed sub-word embeddings -> 1-D CNN -> masked max+mean pooling -> MLP -> 2 heads."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class EmotionNet(nn.Module):
    def __init__(self, buckets=131072, dim=48, channels=128, kernels=(1, 3, 5), hidden=128,
                 n_valence=3, n_emotion=7, dropout=0.3, sparse=True, tail=0, pre=None, subwords=16, pre_proj=0):
        super().__init__()
        self.emb = nn.Embedding(buckets, dim, padding_idx=0, sparse=sparse)
        nn.init.uniform_(self.emb.weight, -0.05, 0.05)
        with torch.no_grad():
            self.emb.weight[0].zero_()
        # pre: optional frozen table [V+1, k] of pretrained word vectors, indexed by the vocabulary id in the last
        # column of each token row (after `subwords` feature ids); row 0 (not in the vocabulary) is zero. float16.
        self.subwords = subwords
        self.pre_dim = 0 if pre is None else int(pre.shape[1])
        if pre is not None:
            self.register_buffer("pre", pre.to(torch.float16))
        # pre_proj > 0: a trained linear map (no bias, so padding and words outside the vocabulary stay zero) takes the
        # frozen vectors down to pre_proj dimensions before the convolutions (fewer multiply-adds per token)
        self.proj = nn.Linear(self.pre_dim, pre_proj, bias=False) if (pre is not None and pre_proj > 0) else None
        conv_in = dim + (pre_proj if self.proj is not None else self.pre_dim)
        self.convs = nn.ModuleList([nn.Conv1d(conv_in, channels, k, padding=k // 2) for k in kernels])
        # tail > 0: also mean-pool the last `tail` tokens (what an utterance ends on: "..., pero sigue igual")
        self.tail = tail
        feat = (3 if tail else 2) * channels * len(kernels)
        self.drop = nn.Dropout(dropout)
        self.hidden = nn.Linear(feat, hidden)
        self.valence = nn.Linear(hidden, n_valence)
        self.emotion = nn.Linear(hidden, n_emotion)
        self.export_mode = False

    def fold_projection(self):
        """For export: replace the frozen table and the trained projection by their product, a [V+1, pre_proj] float16
        table of this member's own. Same function up to float16 rounding of the projected vectors, and per token a
        narrower gather and no projection. Row 0 stays zero (no bias)."""
        if self.proj is None:
            return
        with torch.no_grad():
            folded = (self.pre.to(torch.float32) @ self.proj.weight.t()).to(torch.float16)
        self.pre = folded
        self.pre_dim = int(folded.shape[1])
        self.proj = None

    def half_embeddings(self):
        """For export: keep the hashed sub-word table as a float16 buffer (half the file); the gathered rows are cast
        back to float32, so only the stored weights are rounded. Training code must not call this."""
        if self.emb is None:
            return
        self.register_buffer("emb_half", self.emb.weight.detach().to(torch.float16))
        self.emb = None

    def pretrained(self, ids):
        """[B,T,k] frozen pretrained vectors of each token (zero for tokens outside the vocabulary and padding)."""
        return self.pre[ids[:, :, self.subwords]].to(torch.float32)

    def encode(self, ids, pre_tok=None):
        z = self.features(ids, pre_tok)
        return self.valence(z), self.emotion(z)

    def features(self, ids, pre_tok=None):
        """The utterance vector [B, hidden] the heads read (after the hidden layer and dropout)."""
        return self.hidden_features(self.pooled(ids, pre_tok))

    def hidden_features(self, z):
        """The hidden layer over pooled() features."""
        z = F.relu(self.hidden(self.drop(z)))
        return self.drop(z)

    def pooled(self, ids, pre_tok=None):
        """The pooled convolution features [B, (2 or 3) * channels * kernels] before the hidden layer."""
        # ids: [B, T, S] int64 (S = subwords, + 1 vocabulary column with a pretrained table), 0 = padding;
        # pre_tok: this net's pretrained() result when computed once for several members
        pre_ids = ids
        if self.pre_dim:
            ids = ids[:, :, : self.subwords]
        sub_mask = (ids != 0).to(torch.float32)                      # [B,T,S]
        if self.emb is not None:
            e = self.emb(ids)                                        # [B,T,S,D] (row 0 is zero)
        else:
            e = self.emb_half[ids].to(torch.float32)
        count = sub_mask.sum(dim=2)                                  # [B,T]
        tok = e.sum(dim=2) / torch.clamp(count, min=1.0).unsqueeze(-1)  # [B,T,D]
        if self.pre_dim:
            p = self.pretrained(pre_ids) if pre_tok is None else pre_tok
            tok = torch.cat([tok, self.proj(p) if self.proj is not None else p], dim=-1)
        tok_mask = (count > 0).to(torch.float32)                     # [B,T]
        x = tok.transpose(1, 2)                                      # [B,D,T]
        if self.training:
            x = F.dropout(x, 0.1, True)
        hs = [F.relu(c(x)) for c in self.convs]
        h = torch.cat(hs, dim=1)                                     # [B,C,T]
        m = tok_mask.unsqueeze(1)                                    # [B,1,T]
        n_tok = torch.clamp(tok_mask.sum(dim=1), min=1.0).unsqueeze(1)  # [B,1]
        mean = (h * m).sum(dim=2) / n_tok
        # relu output >= 0, so masking padded positions to -1 before max is exact
        mx = (h * m - (1.0 - m)).max(dim=2).values
        parts = [mx, mean]
        if self.tail:
            pos = torch.cumsum(tok_mask, dim=1)                      # 1..n at real tokens
            last = (pos > (n_tok - float(self.tail))).to(torch.float32) * tok_mask   # [B,T]
            lt = last.unsqueeze(1)
            parts.append((h * lt).sum(dim=2) / torch.clamp(last.sum(dim=1), min=1.0).unsqueeze(1))
        return torch.cat(parts, dim=1)

    def forward(self, ids):
        v, e = self.encode(ids)
        if self.export_mode:
            return torch.softmax(v, dim=-1), torch.softmax(e, dim=-1)
        return v, e


class EnsembleNet(nn.Module):
    """K EmotionNet members (different seeds); forward returns the mean of the members' softmax probabilities."""

    def __init__(self, members):
        super().__init__()
        self.members = nn.ModuleList(members)

    def forward(self, ids):
        vs, es = [], []
        # members built from one pretrained table share it: gather once (one initializer in the exported graph)
        shared = all(m.pre_dim for m in self.members) and all(m.pre is self.members[0].pre for m in self.members)
        pre_tok = self.members[0].pretrained(ids) if shared else None
        for m in self.members:
            v, e = m.encode(ids, pre_tok)
            vs.append(torch.softmax(v, dim=-1))
            es.append(torch.softmax(e, dim=-1))
        k = float(len(vs))
        return sum(vs) / k, sum(es) / k
