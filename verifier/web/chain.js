/*
 * siteledger verifier page: the on-chain checks (docs/proof-format.md step 17) with plain
 * Ethereum JSON-RPC to a node the user names: eth_chainId, eth_getCode, eth_call,
 * eth_getTransactionReceipt, eth_getBlockByNumber, eth_blockNumber. No block explorer, no key.
 * Classic script; siteledger.chain.check(run, url) adds the seven chain.* checks to a run.
 */
(function (root) {
  'use strict';
  const SL = root.siteledger;
  const C = SL.core;

  // AnchorRegistry version 1 (contracts/build/AnchorRegistryV1.json): SHA-256 of its deployedBytecode, and
  // the selectors and event topic of docs/contract.md. tests/verifier/test_web.py checks these
  // against the committed artifact.
  const REGISTRY_CODE_SHA256 = '0fabd603d690a8d856bad2199537a832d85edf6b252ad9f87c2af19bc21ee673';
  const SEL_BATCH_COUNT = '0x06f13056';
  const SEL_BATCH = '0x857553cc';
  const ANCHORED_TOPIC = '0x2252f014db3bd07efac08cfb769b1d0bd7af788507cf99451bf101569f003bfd';
  // AnchorRegistry version 2 (contracts/build/AnchorRegistry.json, docs/contract.md): one
  // commitment per batch; checkBatch(BatchClaim) confirms a claimed batch against it.
  const REGISTRY2_CODE_SHA256 = '59e7c557c6985dae3628a3db71d8715ca4ea6c75f6c35ec1fe85f7bb35e0b676';
  // The same version 2 with witness sets (contracts/build/AnchorRegistry.json; the code above is
  // contracts/build/AnchorRegistryV2.json, deployed before witness sets): same commitment,
  // checkBatch and Anchored, plus anchorWitnessed and its Witnessed event.
  const REGISTRY2W_CODE_SHA256 = '3e3b46121da5a6429da0d46bba3198983dfbca280ca1b8be1e49cbd8b4626079';
  const SEL_CHECK_BATCH = '0xcd8d3534';
  const ANCHORED2_TOPIC = '0x45ef56a72880233a8b623853acd34f76e6bf8a421163a5e65ea2b49870e8189f';
  // Witness sets (docs/contract.md, docs/proof-format.md "chain.witnesses"): the events of a
  // witnessed or unwitnessed anchor, and witnessSetHash(uint64 version).
  const WITNESSED_TOPIC = '0xae1c441955978645e254ec2fa38ea7c7d5fe984941b7d88e1cfe118e29b2c918';
  const UNWITNESSED_TOPIC = '0x5ee5172b15cf7b4ab8a193db2ede7f049687dacfb8945b9306d748a8e151e02a';
  const SEL_WITNESS_SET_HASH = '0x7914a22e';

  class Unreachable extends Error {}
  class ChainError extends Error {}

  function client(url, timeoutMs) {
    let id = 0;
    return async function call(method, params) {
      const ctl = typeof AbortController !== 'undefined' ? new AbortController() : null;
      const timer = ctl ? setTimeout(() => ctl.abort(), timeoutMs) : null;
      let res;
      try {
        res = await fetch(url, {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
          signal: ctl ? ctl.signal : undefined,
        });
      } catch (e) {
        throw new Unreachable(`${url}: ${e.name === 'AbortError' ? 'no answer within ' + timeoutMs / 1000 + ' s' : e.message}`);
      } finally {
        if (timer) clearTimeout(timer);
      }
      if (!res.ok) throw new Unreachable(`${url} answered HTTP ${res.status} to ${method}`);
      let body;
      try { body = await res.json(); } catch (e) { throw new Unreachable(`${url} did not answer JSON-RPC to ${method}`); }
      if (body.error) throw new ChainError(`${method}: ${body.error.message || JSON.stringify(body.error)}`);
      return body.result;
    };
  }

  const num = (hex) => (typeof hex === 'string' && /^0x[0-9a-fA-F]+$/.test(hex) ? Number(BigInt(hex)) : NaN);
  const word = (data, i) => data.slice(2 + 64 * i, 2 + 64 * (i + 1));
  const wordNum = (data, i) => Number(BigInt('0x' + (word(data, i) || '0')));
  const pad64 = (n) => BigInt(n).toString(16).padStart(64, '0');

  /** Add the chain.* checks to `run` (a verify.js Run); resolves to anchor_checked. */
  async function check(run, url) {
    const names = SL.bundle.CHAIN_CHECKS;
    const call = client(url, 15000);
    const results = Object.fromEntries(names.map((n) => [n, []]));
    const batches = run.batches(); // the items' batches and the checkpoint's
    const first = batches.values().next().value[1];
    const done = () => new Set(run.checks.map((c) => c.name));
    const emit = (name, ok) => run.add(name, results[name].length ? 'failed' : 'passed', results[name].length ? results[name].join('; ') : ok);
    try {
      const cid = num(await call('eth_chainId', []));
      if (cid !== first.chain_id) results['chain.network'].push(`the node serves chain ${cid}, the bundle was anchored on chain ${first.chain_id}`);
      emit('chain.network', `chain id ${cid}`);
      if (results['chain.network'].length) {
        for (const n of names.slice(1)) run.add(n, 'skipped', 'wrong network');
        return true;
      }
      const code = await call('eth_getCode', [first.contract, 'latest']);
      let codeHash = null;
      if (!code || code === '0x') results['chain.contract'].push(`no contract at ${first.contract} on chain ${cid}`);
      else {
        const got = C.toHex(await C.sha256(C.fromHex(code.slice(2).toLowerCase())));
        codeHash = got;
        const version = first.registry || 1;
        const known = version === 2 ? [REGISTRY2_CODE_SHA256, REGISTRY2W_CODE_SHA256] : [REGISTRY_CODE_SHA256];
        if (!known.includes(got)) {
          results['chain.contract'].push(`the code at ${first.contract} on chain ${cid} is not the AnchorRegistry of registry version ${version} (${(code.length - 2) / 2} bytes, SHA-256 ${got})`);
        }
      }
      emit('chain.contract', `${first.contract} runs the AnchorRegistry code`);
      const head = num(await call('eth_blockNumber', []));
      for (const no of [...batches.keys()].sort((x, y) => x - y)) {
        const [ref, a] = batches.get(no);
        await oneBatch(call, no, ref, a, results, head);
      }
      const n = batches.size;
      emit('chain.root', `the contract stores the bundle's root for all ${n} batches`);
      emit('chain.event', `each transaction emitted the Anchored event of its batch (${n})`);
      emit('chain.block', 'block numbers, hashes and times match the chain');
      emit('chain.confirmations', 'every anchoring block is on the canonical chain');
      await witnesses(call, run, batches, codeHash === REGISTRY2W_CODE_SHA256, first.contract, results);
      return true;
    } catch (e) {
      if (!(e instanceof Unreachable)) throw e;
      const have = done();
      for (const n of names) {
        if (have.has(n)) continue;
        if (results[n].length) run.add(n, 'failed', results[n].join('; '));
        else run.add(n, 'inconclusive', `chain unreachable: ${e.message}`);
      }
      return false;
    }
  }

  const WITNESS_WORDS = {
    witnessed: 'witnessed (a Witnessed event: a quorum signed it)',
    unwitnessed: 'anchored without a quorum (an AnchoredWithoutQuorum event)',
    none: 'nothing about witnesses',
  };

  /** chain.witnesses: on a registry with witness sets, each anchoring transaction's Witnessed /
   *  AnchoredWithoutQuorum event agrees with the bundle's witnesses (status, bitmap, and
   *  witnessSetHash(setVersion) = keccak256(uint256 threshold ‖ keys) of the bundle's set); a
   *  batch the bundle names no witnesses for has neither event. */
  async function witnesses(call, run, batches, capable, contract, results) {
    const name = 'chain.witnesses';
    if (!capable) {
      // a registry without witness sets checked no quorum: witnesses the bundle names for its
      // batches were written by the bundle's holder, whatever they signed
      const named = [...batches.keys()].sort((x, y) => x - y).filter((no) => batches.get(no)[1].witnesses);
      if (named.length) run.add(name, 'failed', `the contract at ${contract} takes no witness sets, but the bundle names witnesses for batch ${named.join(', ')}`);
      else run.add(name, 'skipped', `the contract at ${contract} takes no witness sets, and the bundle names none`);
      return;
    }
    const fails = results[name], lines = [];
    const keccak = root.siteledgerNoble.keccak_256;
    for (const no of [...batches.keys()].sort((x, y) => x - y)) {
      const [, a] = batches.get(no);
      const w = a.witnesses;
      const log = await guarded(async () => {
        const rcpt = await call('eth_getTransactionReceipt', [a.tx_hash]);
        if (!rcpt) throw new ChainError(`transaction ${a.tx_hash} is unknown on the chain`);
        if (num(rcpt.status) !== 1) throw new ChainError(`transaction ${a.tx_hash} failed (status 0)`);
        const topic = '0x' + pad64(no);
        for (const l of rcpt.logs || []) {
          if (String(l.address).toLowerCase() !== a.contract || !l.topics || l.topics.length !== 2) continue;
          if (String(l.topics[1]).toLowerCase() !== topic) continue;
          const kind = String(l.topics[0]).toLowerCase();
          if (kind === WITNESSED_TOPIC) return { status: 'witnessed', set_version: wordNum(l.data, 0), bitmap: BigInt('0x' + word(l.data, 1)) };
          if (kind === UNWITNESSED_TOPIC) return { status: 'unwitnessed', set_version: wordNum(l.data, 0), bitmap: null };
        }
        return { status: 'none' };
      }, fails, `batch ${no}: `);
      if (log === undefined) continue;
      const said = w ? w.status : 'none';
      if (said !== log.status) {
        fails.push(`batch ${no}: the anchoring transaction ${a.tx_hash} says ${WITNESS_WORDS[log.status]}, the bundle says ${WITNESS_WORDS[said]}`);
        continue;
      }
      if (!w) { lines.push(`batch ${no}: no witness event, none named`); continue; }
      if (w.status === 'witnessed' && log.bitmap !== BigInt('0x' + w.bitmap)) {
        fails.push(`batch ${no}: the contract recorded signer bitmap ${log.bitmap.toString(16)}, the bundle ${w.bitmap}`);
        continue;
      }
      const ws = run.b.witness_sets[w.set];
      const want = C.toHex(keccak(C.concat(C.fromHex(pad64(ws.threshold)), ...ws.members.map((m) => C.fromHex(m.public_key)))));
      const have = await guarded(async () => {
        const data = await call('eth_call', [{ to: a.contract, data: SEL_WITNESS_SET_HASH + pad64(log.set_version) }, 'latest']);
        return word(data, 0);
      }, fails, `batch ${no}: `);
      if (have === undefined) continue;
      if (have !== want) {
        fails.push(`batch ${no}: the contract's witness set ${log.set_version} is not the bundle's (threshold and keys differ)`);
        continue;
      }
      lines.push(`batch ${no}: ${w.status} under witness set ${log.set_version}`);
    }
    run.add(name, fails.length ? 'failed' : 'passed', fails.length ? fails.join('; ') : `the contract's witness events agree with the bundle: ${lines.join('; ')}`);
  }

  async function guarded(fn, sink, prefix) {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ChainError) { sink.push(`${prefix}${e.message}`); return undefined; }
      throw e;
    }
  }

  async function oneBatch(call, no, ref, a, results, head) {
    if ((a.registry || 1) === 2) return oneBatch2(call, no, ref, a, results, head);
    // What the contract stores for the batch (none when batch_no >= batchCount()).
    const on = await guarded(async () => {
      const count = num(await call('eth_call', [{ to: a.contract, data: SEL_BATCH_COUNT }, 'latest']));
      if (!(no < count)) return null;
      const data = await call('eth_call', [{ to: a.contract, data: SEL_BATCH + pad64(no) }, 'latest']);
      return { root: word(data, 0), first_seq: wordNum(data, 1), size: wordNum(data, 2), anchored_at: wordNum(data, 3), block_number: wordNum(data, 4) };
    }, results['chain.root'], `batch ${no}: `);
    if (on === null) results['chain.root'].push(`batch ${no} is not anchored in ${a.contract}`);
    else if (on) {
      for (const [what, got, want] of [['root', on.root, ref.root], ['first_seq', on.first_seq, ref.first_seq], ['size', on.size, ref.size]]) {
        if (got !== want) results['chain.root'].push(`batch ${no}: contract has ${what} ${got}, bundle ${want}`);
      }
      if (on.block_number !== a.block_number) results['chain.block'].push(`batch ${no}: contract recorded block ${on.block_number}, bundle ${a.block_number}`);
      if (on.anchored_at * 1e6 !== a.block_time.us) {
        results['chain.block'].push(`batch ${no}: contract recorded time ${C.formatTime(on.anchored_at * 1e6, 0)}, bundle ${a.block_time.text}`);
      }
    }
    // The anchoring transaction, its Anchored event and its block.
    await guarded(async () => {
      const rcpt = await call('eth_getTransactionReceipt', [a.tx_hash]);
      if (!rcpt) throw new ChainError(`transaction ${a.tx_hash} is unknown on this chain (never sent, not mined yet, or dropped by a reorg)`);
      if (num(rcpt.status) !== 1) throw new ChainError(`transaction ${a.tx_hash} failed (status 0) in block ${num(rcpt.blockNumber)}`);
      const log = (rcpt.logs || []).find((l) => String(l.address).toLowerCase() === a.contract && l.topics && String(l.topics[0]).toLowerCase() === ANCHORED_TOPIC);
      if (!log) throw new ChainError(`transaction ${a.tx_hash} emitted no Anchored event from ${a.contract}`);
      const ev = {
        batch_no: Number(BigInt(log.topics[1])), first_seq: wordNum(log.data, 0), size: wordNum(log.data, 1),
        root: word(log.data, 2),
      };
      for (const [what, got, want] of [['batch_no', ev.batch_no, no], ['first_seq', ev.first_seq, ref.first_seq], ['size', ev.size, ref.size], ['root', ev.root, ref.root]]) {
        if (got !== want) results['chain.event'].push(`transaction ${a.tx_hash} anchored ${what} ${got}, the bundle says ${want} (batch ${no})`);
      }
      const blockNo = num(rcpt.blockNumber);
      const blk = await call('eth_getBlockByNumber', ['0x' + blockNo.toString(16), false]);
      const blockHash = String(rcpt.blockHash).toLowerCase();
      const time = blk ? num(blk.timestamp) * 1e6 : NaN;
      for (const [what, got, want, show] of [['block number', blockNo, a.block_number, String],
        ['block hash', blockHash, a.block_hash, String], ['block time', time, a.block_time.us, (v) => (Number.isFinite(v) ? C.formatTime(v, 0) : 'unknown')]]) {
        if (got !== want) results['chain.block'].push(`batch ${no}: ${what} on chain ${show(got)}, bundle ${show(want)}`);
      }
    }, results['chain.event'], `batch ${no}: `);
    // The anchoring block is still canonical.
    await guarded(async () => {
      const blk = await call('eth_getBlockByNumber', ['0x' + a.block_number.toString(16), false]);
      const canonical = blk && String(blk.hash).toLowerCase() === a.block_hash;
      if (!canonical || head < a.block_number) {
        results['chain.confirmations'].push(`batch ${no}: block ${a.block_number} ${a.block_hash} is not on the canonical chain (reorganised away, or not reached by this node)`);
      }
    }, results['chain.confirmations'], `batch ${no}: `);
  }

  /** Registry version 2: the contract stores one commitment per batch; checkBatch confirms the
   *  bundle's claim (batch number, range, root, heads root, block number and time) against it,
   *  and the Anchored event carries the fields. */
  async function oneBatch2(call, no, ref, a, results, head) {
    await guarded(async () => {
      const count = num(await call('eth_call', [{ to: a.contract, data: SEL_BATCH_COUNT }, 'latest']));
      if (!(no < count)) { results['chain.root'].push(`batch ${no} is not anchored in ${a.contract}`); return; }
      const claim = [pad64(no), pad64(ref.first_seq), pad64(ref.size), ref.root, ref.heads_root || '0'.repeat(64),
        pad64(a.block_number), pad64(Math.floor(a.block_time.us / 1e6))].join('');
      const ok = await call('eth_call', [{ to: a.contract, data: SEL_CHECK_BATCH + claim }, 'latest']);
      if (wordNum(ok, 0) !== 1) {
        results['chain.root'].push(`batch ${no}: the contract's commitment does not match the bundle's batch (root, heads root, range, block number or block time differ)`);
      }
    }, results['chain.root'], `batch ${no}: `);
    await guarded(async () => {
      const rcpt = await call('eth_getTransactionReceipt', [a.tx_hash]);
      if (!rcpt) throw new ChainError(`transaction ${a.tx_hash} is unknown on this chain (never sent, not mined yet, or dropped by a reorg)`);
      if (num(rcpt.status) !== 1) throw new ChainError(`transaction ${a.tx_hash} failed (status 0) in block ${num(rcpt.blockNumber)}`);
      const log = (rcpt.logs || []).find((l) => String(l.address).toLowerCase() === a.contract && l.topics && String(l.topics[0]).toLowerCase() === ANCHORED2_TOPIC);
      if (!log) throw new ChainError(`transaction ${a.tx_hash} emitted no Anchored event from ${a.contract}`);
      const ev = { batch_no: Number(BigInt(log.topics[1])), first_seq: wordNum(log.data, 0), size: wordNum(log.data, 1), root: word(log.data, 2), heads_root: word(log.data, 3) };
      for (const [what, got, want] of [['batch_no', ev.batch_no, no], ['first_seq', ev.first_seq, ref.first_seq], ['size', ev.size, ref.size],
        ['root', ev.root, ref.root], ['heads_root', ev.heads_root, ref.heads_root || '0'.repeat(64)]]) {
        if (got !== want) results['chain.event'].push(`transaction ${a.tx_hash} anchored ${what} ${got}, the bundle says ${want} (batch ${no})`);
      }
      const blockNo = num(rcpt.blockNumber);
      const blk = await call('eth_getBlockByNumber', ['0x' + blockNo.toString(16), false]);
      const time = blk ? num(blk.timestamp) * 1e6 : NaN;
      for (const [what, got, want, show] of [['block number', blockNo, a.block_number, String],
        ['block hash', String(rcpt.blockHash).toLowerCase(), a.block_hash, String], ['block time', time, a.block_time.us, (v) => (Number.isFinite(v) ? C.formatTime(v, 0) : 'unknown')]]) {
        if (got !== want) results['chain.block'].push(`batch ${no}: ${what} on chain ${show(got)}, bundle ${show(want)}`);
      }
    }, results['chain.event'], `batch ${no}: `);
    await guarded(async () => {
      const blk = await call('eth_getBlockByNumber', ['0x' + a.block_number.toString(16), false]);
      if (!(blk && String(blk.hash).toLowerCase() === a.block_hash) || head < a.block_number) {
        results['chain.confirmations'].push(`batch ${no}: block ${a.block_number} ${a.block_hash} is not on the canonical chain (reorganised away, or not reached by this node)`);
      }
    }, results['chain.confirmations'], `batch ${no}: `);
  }

  SL.chain = { check, REGISTRY_CODE_SHA256, SEL_BATCH, SEL_BATCH_COUNT, ANCHORED_TOPIC, REGISTRY2_CODE_SHA256, REGISTRY2W_CODE_SHA256, SEL_CHECK_BATCH, ANCHORED2_TOPIC, WITNESSED_TOPIC, UNWITNESSED_TOPIC, SEL_WITNESS_SET_HASH };
})(typeof globalThis !== 'undefined' ? globalThis : this);
