/*
 * siteledger verifier page: words in Chinese (default) and English. Check and finding names
 * follow verifier/i18n.py so the page, the terminal and the evidence report use the same terms;
 * each check also has a one-line meaning for readers who are not engineers. Technical details
 * (hashes, sequence numbers) are shown as the verifier wrote them. siteledger.i18n.
 */
(function (root) {
  'use strict';
  const SL = root.siteledger;

  const VERDICT = {
    VALID: { zh: '有效', en: 'VALID' },
    INVALID: { zh: '无效', en: 'INVALID' },
    INCONCLUSIVE: { zh: '无法确定', en: 'INCONCLUSIVE' },
  };

  const VERDICT_MEANING = {
    VALID: {
      zh: '每一项核验均通过：记录由登记在册的密钥签名，自写入区块链以来未被更改。',
      en: 'Every check passed: the records were signed by registered keys and have not changed since they were anchored on the blockchain.',
    },
    VALID_OFFLINE: {
      zh: '证据包内部的每一项核验均通过，但未向区块链核对锚定：请填写区块链节点地址（RPC）后再核验一次。',
      en: 'Every check inside the bundle passed, but the anchor was NOT checked on the blockchain: give the URL of a node of the chain (RPC) and verify again.',
    },
    INVALID: {
      zh: '至少一项核验未通过：该证据包被改动过，或与所述记录、密钥或区块链不符。不能依据它认定事实。',
      en: 'At least one check failed: the bundle was altered, or does not match the records, keys or blockchain it names. It proves nothing.',
    },
    INCONCLUSIVE: {
      zh: '离线部分全部通过，但无法连接区块链核对锚定。请检查节点地址或网络后重新核验。',
      en: 'Everything that can be checked without the blockchain passed, but the anchor could not be checked on chain. Check the node URL or the network and verify again.',
    },
    NOT_COVERED: {
      zh: '证据包本身核验通过，但所查的月份或时刻还不能定论：离线闸机的记录按同步宽限期仍可能补传。请在说明中的日期之后重新获取证据包。',
      en: 'The bundle itself checks out, but the month or instant asked about is not final yet: records of gates that were offline may still arrive within the sync allowance. Ask for a new bundle after the date given below.',
    },
    UNREADABLE: {
      zh: '文件无法读取：它不是一个完整、合规的 JSON 证据包。',
      en: 'The file cannot be read: it is not a complete, well-formed JSON bundle.',
    },
  };

  const STATUS = {
    passed: { zh: '通过', en: 'passed' },
    failed: { zh: '未通过', en: 'FAILED' },
    skipped: { zh: '跳过', en: 'skipped' },
    inconclusive: { zh: '无法确定', en: 'inconclusive' },
  };

  const CHECK = {
    format: { zh: '格式', en: 'Format' },
    'record.signature': { zh: '记录签名', en: 'Record signature' },
    keys: { zh: '密钥登记链', en: 'Key registrations' },
    'signer.registered': { zh: '签名密钥已登记', en: 'Signer key registered' },
    'signer.authorised': { zh: '签名密钥有权签署', en: 'Signer authorised' },
    'signer.not_revoked': { zh: '签名密钥未被吊销', en: 'Signer key not revoked' },
    'record.leaf_hash': { zh: '记录哈希', en: 'Leaf hash' },
    'record.inclusion': { zh: '默克尔包含证明', en: 'Merkle inclusion' },
    receipt: { zh: '运营方回执', en: 'Operator receipt' },
    'run.entries': { zh: '序列中的每条记录', en: 'Every entry of the run' },
    'run.contiguous': { zh: '序列连续无缺', en: 'Run contiguous' },
    'run.start': { zh: '序列起点', en: 'Run start' },
    'anchor.batches': { zh: '批次与锚定一致', en: 'Batches consistent' },
    'items.unique': { zh: '记录不重复', en: 'Each entry once' },
    'receipt.key': { zh: '回执密钥', en: 'Receipt key' },
    'anchor.block_time': { zh: '区块时间不早于接收', en: 'Block time after receipt' },
    'anchor.witnesses': { zh: '见证方联署', en: 'Witness quorum' },
    'chain.witnesses': { zh: '链上见证记录', en: 'Witnesses on chain' },
    related: { zh: '更正、审批与确认', en: 'Corrections and acks' },
    context: { zh: '背景记录', en: 'Context entries' },
    disclosure: { zh: '身份披露', en: 'Identity disclosure' },
    'chain.network': { zh: '区块链网络', en: 'Chain network' },
    'chain.contract': { zh: '锚定合约', en: 'Anchor contract' },
    'chain.root': { zh: '链上批次根', en: 'Root on chain' },
    'chain.event': { zh: '锚定交易事件', en: 'Anchoring event' },
    'chain.block': { zh: '区块与时间', en: 'Block and time' },
    'chain.confirmations': { zh: '区块确认', en: 'Confirmations' },
    'batch.heads': { zh: '批次签名头', en: 'Signed batch heads' },
    'checkpoint.batch': { zh: '检查点批次', en: 'Checkpoint batch' },
    'checkpoint.subject': { zh: '工人记录链末端', en: "Worker's head at the checkpoint" },
    'checkpoint.devices': { zh: '闸机计数末端', en: "Gates' heads at the checkpoint" },
    'checkpoint.gates': { zh: '闸机计数声明', en: 'Gate counter statements' },
    'checkpoint.covers': { zh: '时间覆盖', en: 'Coverage' },
  };

  const CHECK_MEANING = {
    format: { zh: '文件是规范的证据包，每条记录都符合记录规则。', en: 'The file is a well-formed bundle and every record follows the record rules.' },
    'record.signature': { zh: '记录的数字签名与登记的公钥相符：内容签名后未被改动。', en: 'The record\'s digital signature matches the registered public key: nothing changed after signing.' },
    keys: { zh: '每把密钥的登记都可逐级追溯到平台根密钥，且登记者有权登记。', en: 'Every key registration traces back to the operator\'s root key, each made by a key allowed to.' },
    'signer.registered': { zh: '签名密钥在记录之前已登记。', en: 'The signing key was registered before the record.' },
    'signer.authorised': { zh: '签名者的角色、项目和有效期允许签署这类记录。', en: 'The signer\'s role, projects and validity allow it to sign this kind of record.' },
    'signer.not_revoked': { zh: '记录写入时签名密钥尚未被吊销。', en: 'The signing key was not revoked when the record was logged.' },
    'record.leaf_hash': { zh: '重新计算的记录指纹与证据包所述一致。', en: 'The recomputed fingerprint of the record equals the one the bundle states.' },
    'record.inclusion': { zh: '记录指纹通过默克尔路径得到批次根：记录确在该批次中。', en: 'The Merkle path leads from the record to the batch root: the record is in that batch.' },
    receipt: { zh: '运营方收到记录时签发的回执与记录一致。', en: 'The receipt the operator signed on receiving the record matches it.' },
    'run.entries': { zh: '序列中每条记录的签名、指纹和包含证明都成立。', en: 'Every entry of the run has a valid signature, fingerprint and inclusion proof.' },
    'run.contiguous': { zh: '每条记录都指向该工人的上一条记录：序列中间没有缺失。', en: 'Each entry names the worker\'s previous one: nothing inside the run is missing.' },
    'run.start': { zh: '序列从足够早的记录开始，涵盖所查月份或时刻。', en: 'The run starts early enough to cover the month or instant in question.' },
    'anchor.batches': { zh: '各批次的编号、范围、交易和区块彼此一致。', en: 'Batch numbers, ranges, transactions and blocks agree with each other.' },
    'items.unique': { zh: '每条记录在证据包中只出现一次（重复的支付不会被算两次）。', en: 'Every entry appears once in the bundle (a payment given twice cannot count twice).' },
    'receipt.key': { zh: '回执由登记在册、具有运营方角色且未被吊销的密钥签发。', en: 'The receipt is signed by a registered operator key that was not revoked.' },
    'anchor.block_time': { zh: '批次的区块时间不早于平台接收其中记录的时间（允许 300 秒时钟误差）。', en: 'No batch was anchored before the operator received its entries (300 s clock skew allowed).' },
    'anchor.witnesses': { zh: '载明见证方的批次：见证方的持有证明、签名位图、门限和聚合 BLS 签名都成立；未获见证方联署即锚定的批次会明确标出。', en: 'Batches that name witnesses: proofs of possession, signer bitmap, threshold and the aggregate BLS signature verify; a batch anchored without a quorum is said plainly.' },
    related: { zh: '更正、审批、确认和支付记录都成立，并指向本证据包中的记录。', en: 'Corrections, approvals, acknowledgements and payments verify and name records of the bundle.' },
    context: { zh: '背景记录（项目、进场登记）都成立。', en: 'Context records (project, enrollment) verify.' },
    disclosure: { zh: '披露的身份信息与进场登记中的承诺值相符。', en: 'The disclosed identity opens the commitment in the enrollment.' },
    'chain.network': { zh: '节点所在的区块链就是证据包所述的链。', en: 'The node serves the chain the bundle names.' },
    'chain.contract': { zh: '锚定地址上运行的是公开的锚定合约代码。', en: 'The anchoring address runs the published anchor contract code.' },
    'chain.root': { zh: '合约中存储的批次根与证据包一致。', en: 'The batch root stored in the contract equals the bundle\'s.' },
    'chain.event': { zh: '锚定交易确实发出了该批次的锚定事件。', en: 'The anchoring transaction emitted the event of this batch.' },
    'chain.block': { zh: '区块号、区块哈希和区块时间与链上一致。', en: 'Block number, block hash and block time match the chain.' },
    'chain.confirmations': { zh: '锚定区块仍在主链上，未被回滚。', en: 'The anchoring block is still on the canonical chain.' },
    'chain.witnesses': { zh: '合约记录的见证事件（联署或未获联署）与证据包所述一致，见证方集合与合约中的相同。', en: 'The contract\'s witness events (quorum or none) agree with the bundle, and its witness set is the bundle\'s.' },
    'batch.heads': { zh: '每个批次的大小、根和封存时间都由运营方密钥签名。', en: "Every batch's size, roots and sealing time are signed by the operator's key." },
    'checkpoint.batch': { zh: '检查点批次不早于证据包中任何记录所在的批次。', en: 'The checkpoint batch is at or after the batch of every entry in the bundle.' },
    'checkpoint.subject': { zh: '截至检查点，工人的最后一条记录就是序列的最后一条：序列之后没有遗漏。', en: "At the checkpoint the worker's last entry is the run's last: nothing after the run is missing." },
    'checkpoint.devices': { zh: '所用闸机在检查点时的计数不低于证据包中用到的打卡编号。', en: "The gates' counters at the checkpoint reach every punch the bundle uses." },
    'checkpoint.gates': { zh: '运营方签名的闸机计数声明包含证据包用到的每一次打卡。', en: "The operator's signed gate counter statements hold every punch the bundle uses." },
    'checkpoint.covers': { zh: '检查点晚于所查时间加同步宽限期：结论是最终的。', en: 'The checkpoint is at least the sync allowance after the time asked about: the answer is final.' },
  };

  const FINDING = {
    status: { zh: '记录状态', en: 'Record status' },
    approval: { zh: '监理审批', en: 'Supervisor approval' },
    ack: { zh: '工人确认', en: 'Worker acknowledgement' },
    paid: { zh: '实际支付', en: 'Paid' },
    pending: { zh: '尚未锚定的记录', en: 'Entries not yet anchored' },
    timezone: { zh: '时区', en: 'Time zone' },
    unpaired: { zh: '未配对打卡', en: 'Unpaired punch' },
    wage_line: { zh: '工资单行', en: 'Wage line' },
    days: { zh: '出勤天数', en: 'Days worked' },
    hours: { zh: '工时', en: 'Working time' },
    gross: { zh: '应发工资', en: 'Gross wage (应发)' },
    net: { zh: '实发工资', en: 'Net wage (实发)' },
    enrolled: { zh: '已进场', en: 'Enrolled' },
    not_exited: { zh: '未退场', en: 'Not exited' },
    in_before: { zh: '此前有进场打卡', en: 'IN punch before' },
    present: { zh: '在场结论', en: 'Present' },
    shift: { zh: '班次', en: 'Shift' },
    unclosed: { zh: '无出场打卡', en: 'IN without OUT' },
    stray_out: { zh: '无对应进场的出场', en: 'OUT without IN' },
    publication: { zh: '向工人公示', en: 'Published to the worker' },
    gate_gap: { zh: '闸机记录缺口', en: 'Gate events missing' },
    coverage: { zh: '尚未定论', en: 'Not final yet' },
  };

  const KIND = {
    record: { zh: '单条记录', en: 'single record' },
    wage: { zh: '工资争议（一个月）', en: 'wage dispute (one month)' },
    presence: { zh: '在场证明', en: 'presence' },
  };

  const RECORD_TYPE = {
    key: { zh: '密钥登记', en: 'key registration' },
    project: { zh: '项目', en: 'project' },
    org: { zh: '参建单位', en: 'organisation' },
    enrollment: { zh: '进场登记', en: 'enrollment (进场)' },
    exit: { zh: '退场登记', en: 'exit (退场)' },
    attendance: { zh: '考勤打卡', en: 'gate punch (attendance)' },
    wage: { zh: '工资单行', en: 'wage line' },
    payment: { zh: '工资支付', en: 'wage payment' },
    correction: { zh: '更正', en: 'correction' },
    approval: { zh: '监理审批', en: 'supervisor approval' },
    ack: { zh: '工人确认', en: 'worker acknowledgement' },
    training: { zh: '培训记录', en: 'training' },
    publication: { zh: '向工人公示', en: 'publication to the worker' },
  };

  const ROLE = {
    operator: { zh: '平台运营方根密钥', en: 'operator root key' },
    admin: { zh: '项目管理员', en: 'project administrator' },
    contractor: { zh: '施工单位', en: 'contractor' },
    payroll: { zh: '工资核算', en: 'payroll' },
    supervisor: { zh: '监理', en: 'supervisor (监理)' },
    device: { zh: '考勤闸机设备', en: 'gate device' },
    worker: { zh: '工人本人', en: 'the worker' },
    bank: { zh: '银行接口', en: 'bank' },
  };

  const TEXT = {
    what_proven: { zh: '证明了什么', en: 'What was proven' },
    dev_chain: {
      zh: '这是一条开发或测试用的链，由运行者自行控制，可随时重置：其上的锚定只能用于测试，不能证明记录在某一时间之后未被更改。',
      en: 'a development or test chain, controlled by whoever runs it and resettable at will: an anchor on it is for testing only and proves nothing to a third party about when the records existed.',
    },
    f_record: { zh: '记录', en: 'Record' },
    f_time: { zh: '记录时间', en: 'Time of the record' },
    f_received: { zh: '平台接收时间', en: 'Received by the operator' },
    f_subject: { zh: '工人（化名编号）', en: 'Worker (pseudonym)' },
    f_project: { zh: '项目', en: 'Project' },
    f_run: { zh: '记录序列', en: 'Run of entries' },
    f_issued: { zh: '证据包签发时间', en: 'Bundle issued' },
    f_signer: { zh: '签名者（登记链）', en: 'Signed by (registration chain)' },
    f_chain: { zh: '区块链与合约', en: 'Chain and contract' },
    f_anchor: { zh: '锚定', en: 'Anchored' },
    chain_id: { zh: '链 ID', en: 'chain id' },
    batch: { zh: '批次', en: 'batch' },
    f_witnesses: { zh: '见证方', en: 'Witnesses' },
    witnessed_by: { zh: '由 {n} 个独立见证方中的 {k} 个联署确认（门限 {t} 个）：{names}', en: 'confirmed by {k} of {n} independent witnesses (threshold {t}): {names}' },
    unwitnessed: { zh: '未获见证方联署确认（门限 {n} 个中的 {t} 个），运营方按超时策略单独锚定。原因：{reason}', en: 'NOT confirmed by the witnesses (threshold {t} of {n}); the operator anchored it alone under its timeout policy. Reason given: {reason}' },
    no_witnesses: { zh: '未载明见证方', en: 'no witnesses named' },
    block: { zh: '区块', en: 'block' },
    title: { zh: '证据包核验', en: 'Proof bundle verifier' },
    lead: {
      zh: '在本机浏览器中核验 siteledger 证据包：签名、密钥登记、默克尔证明和锚定。文件不会上传到任何地方。',
      en: 'Verify siteledger proof bundles in this browser: signatures, key registrations, Merkle proofs and anchors. Files are not uploaded anywhere.',
    },
    drop: { zh: '把证据包文件（.json）拖到这里，或', en: 'Drop bundle files (.json) here, or' },
    pick: { zh: '选择文件', en: 'choose files' },
    rpc: { zh: '区块链节点地址（RPC，可选）', en: 'Blockchain node URL (RPC, optional)' },
    rpc_hint: {
      zh: '填写后直接向该节点核对锚定（不经过区块浏览器，无需密钥）；留空则只做离线核验。',
      en: 'When given, the anchors are checked with that node directly (no explorer, no key); left empty, verification is offline only.',
    },
    again: { zh: '重新核验', en: 'Verify again' },
    checks: { zh: '逐项核验', en: 'Checks' },
    findings: { zh: '复核与提示', en: 'Recomputation and notes' },
    check: { zh: '核验项', en: 'Check' },
    status: { zh: '结果', en: 'Result' },
    meaning: { zh: '说明', en: 'Meaning' },
    detail: { zh: '技术细节', en: 'Technical detail' },
    // What a row that did not pass says: the check's meaning is what SHOULD hold.
    meaning_failed: { zh: '未通过：下面这一点本应成立，但对该证据包不成立（原因见技术细节）——', en: 'FAILED: this should hold, and for this bundle it does not (the reason is in the technical detail): ' },
    meaning_skipped: { zh: '未执行（对该证据包不适用，或所依赖的内容无法检查）：', en: 'Not run (it does not apply to this bundle, or what it depends on could not be checked): ' },
    meaning_covers_inconclusive: { zh: '检查点距所查时间还不到同步宽限期：离线闸机的记录仍可能补传，结论尚非最终。请在技术细节所给日期之后重新获取证据包。', en: 'The checkpoint is less than the sync allowance after the time asked about: records of offline gates may still arrive, so the answer is not final yet. Ask for a new bundle after the date in the technical detail.' },
    meaning_inconclusive: { zh: '无法确定：', en: 'Undecided: ' },
    expected: { zh: '复算值', en: 'Recomputed' },
    actual: { zh: '记录值', en: 'Stated' },
    offline_note: {
      zh: '离线核验：未向区块链核对锚定，锚定信息取自证据包本身。',
      en: 'Offline: the anchor was NOT checked on the blockchain; the anchor details were taken from the bundle itself.',
    },
    working: { zh: '核验中…', en: 'Verifying…' },
    summary: { zh: '共 {n} 个证据包：', en: '{n} bundles: ' },
    backends: { zh: '本页使用', en: 'This page uses' },
    libraries: { zh: '内置库', en: 'Bundled libraries' },
    entries: { zh: '条记录', en: 'entries' },
    seq: { zh: '序号', en: 'seq' },
    timeline: { zh: '当月时间线', en: 'The month' },
    scroll_hint: { zh: '图较宽：左右滑动可看全月。', en: 'The picture is wide: swipe sideways to see the whole month.' },
    no_findings: { zh: '无效的证据包不给出复核结论：其内容不可信。', en: 'No findings for an invalid bundle: its content cannot be trusted.' },
    error: { zh: '核验时出错', en: 'Verification failed with an error' },
  };

  function t(table, key, lang) {
    const row = table[key];
    return row ? row[lang] || row.en : key;
  }

  SL.i18n = { VERDICT, VERDICT_MEANING, STATUS, CHECK, CHECK_MEANING, FINDING, KIND, TEXT, RECORD_TYPE, ROLE, t };
})(typeof globalThis !== 'undefined' ? globalThis : this);
