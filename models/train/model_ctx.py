"""The context-aware turn model (emotion-v2): the emotion-v1 utterance encoder reads one turn; a small recurrent
context state carries what was said before it, and by whom.

One step = one turn:
    u      = [hidden_k(pooled_k(turn ids)) for each encoder member k]   utterance vector [B, members * hidden]
    s      = speaker embedding (0 unknown, 1 customer, 2 agent; 3, 4 the two parties of dialogue that is not contact
             center, used in training only)
    m      = relu(W_mix [u, state, s])                                  the turn read with the conversation before it
    valence, emotion = heads(m)
    state' = GRU([u, s], state)                                         the conversation so far, this turn included

The members' embeddings and convolutions (pooled_k) start from emotion-v1's and are frozen (train_ctx.py's default) or
trained on at a low learning rate (--tune-encoder, emotion-v2.2); their hidden layers start from emotion-v1's and are
trained with the context part. The state is an explicit input and output of the exported graph: the caller keeps it
per conversation (zeros before the first turn, and for a lone sentence), so a turn is encoded once, never again.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

SPEAKERS = {"unknown": 0, "customer": 1, "agent": 2, "party_a": 3, "party_b": 4}


class GRUStep(nn.Module):
    """One GRU cell step written out (the equations of torch.nn.GRUCell), so the ONNX graph is plain MatMul, Sigmoid
    and Tanh."""

    def __init__(self, n_in, n_state):
        super().__init__()
        self.x2h = nn.Linear(n_in, 3 * n_state)
        self.h2h = nn.Linear(n_state, 3 * n_state)
        self.n = n_state

    def forward(self, x, h):
        gx = self.x2h(x)
        gh = self.h2h(h)
        n = self.n
        r = torch.sigmoid(gx[:, :n] + gh[:, :n])
        z = torch.sigmoid(gx[:, n:2 * n] + gh[:, n:2 * n])
        c = torch.tanh(gx[:, 2 * n:] + r * gh[:, 2 * n:])
        return (1.0 - z) * c + z * h


class ContextNet(nn.Module):
    def __init__(self, members, state=64, speaker_dim=8, mix=128, n_speakers=5, n_valence=3, n_emotion=7,
                 dropout=0.3):
        super().__init__()
        self.members = nn.ModuleList(members)     # EmotionNet encoders (their own heads are not used)
        hidden = sum(m.hidden.out_features for m in members)
        self.state_size = state
        self.speaker = nn.Embedding(n_speakers, speaker_dim)
        nn.init.normal_(self.speaker.weight, 0.0, 0.1)
        self.mix = nn.Linear(hidden + state + speaker_dim, mix)
        self.drop = nn.Dropout(dropout)
        self.valence = nn.Linear(mix, n_valence)
        self.emotion = nn.Linear(mix, n_emotion)
        self.gru = GRUStep(hidden + speaker_dim, state)

    def pooled(self, ids):
        """Frozen encoder features of each member, concatenated [B, sum of pooled sizes]."""
        return torch.cat([m.pooled(ids) for m in self.members], dim=-1)

    def utterance(self, pooled):
        """The trained hidden layers over pooled() features: the turn vector u."""
        parts, at = [], 0
        for m in self.members:
            k = m.hidden.in_features
            parts.append(m.hidden_features(pooled[:, at:at + k]))
            at += k
        return torch.cat(parts, dim=-1)

    def heads(self, u, state, spk):
        m = F.relu(self.mix(torch.cat([u, state, spk], dim=-1)))
        m = self.drop(m)
        return self.valence(m), self.emotion(m)

    def step_pooled(self, pooled, speaker, state):
        u = self.utterance(pooled)
        s = self.speaker(speaker)
        v, e = self.heads(u, state, s)
        return v, e, self.gru(torch.cat([u, s], dim=-1), state)

    def step(self, ids, speaker, state):
        """One turn per row: ids [B,T,S], speaker [B] int64, state [B,H] -> valence logits, emotion logits, new state."""
        return self.step_pooled(self.pooled(ids), speaker, state)

    def forward_sequences(self, pooled, speaker, seq, pos, n_seq, length):
        """Training and evaluation over whole sequences from pooled features [N, F] of N turns (turn k is turn pos[k]
        of sequence seq[k]); the state runs over positions. Returns valence and emotion logits aligned with the turns."""
        u = self.utterance(pooled)
        s = self.speaker(speaker)
        x = torch.cat([u, s], dim=-1)
        grid = torch.zeros(n_seq, length, x.shape[1])
        grid[seq, pos] = x
        valid = torch.zeros(n_seq, length, dtype=torch.bool)
        valid[seq, pos] = True
        h = torch.zeros(n_seq, self.state_size)
        before = []
        for t in range(length):
            before.append(h)
            if t + 1 < length:
                h = torch.where(valid[:, t].unsqueeze(1), self.gru(grid[:, t], h), h)
        prev = torch.stack(before, dim=1)[seq, pos]
        return self.heads(u, prev, s)


class ContextExport(nn.Module):
    """The exported step: softmax probabilities and the new state."""

    def __init__(self, net: ContextNet):
        super().__init__()
        self.net = net

    def forward(self, input_ids, speaker, state):
        v, e, h = self.net.step(input_ids, speaker, state)
        return torch.softmax(v, dim=-1), torch.softmax(e, dim=-1), h
