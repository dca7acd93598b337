"""Words of the terminal output and the evidence report in Chinese and English.

Check details stay in English: they quote hashes and values an expert will read; the names,
verdicts and explanations a non-technical reader needs are translated here.
"""

from __future__ import annotations

from typing import Final

LANGS: Final = ("zh", "en")

VERDICT: Final[dict[str, dict[str, str]]] = {
    "VALID": {"zh": "有效", "en": "VALID"},
    "INVALID": {"zh": "无效", "en": "INVALID"},
    "INCONCLUSIVE": {"zh": "无法确定", "en": "INCONCLUSIVE"},
}

VERDICT_MEANING: Final[dict[str, dict[str, str]]] = {
    "VALID": {
        "zh": "每一项核验均通过：记录由登记在册的密钥签名，自写入区块链以来未被更改。",
        "en": "Every check passed: the records were signed by registered keys and have not "
              "changed since they were anchored on the blockchain.",
    },
    "INVALID": {
        "zh": "至少一项核验未通过：该证据包被改动过，或与所述记录、密钥或区块链不符。不能依据它认定事实。",
        "en": "At least one check failed: the bundle was altered, or does not match the records, "
              "keys or blockchain it names. It proves nothing.",
    },
    "INCONCLUSIVE": {
        "zh": "离线部分全部通过，但无法连接区块链核对锚定。请联网后使用 --rpc 重新核验。",
        "en": "Everything that can be checked without the blockchain passed, but the anchor "
              "could not be checked on chain. Verify again with --rpc when the chain is reachable.",
    },
}

STATUS: Final[dict[str, dict[str, str]]] = {
    "passed": {"zh": "通过", "en": "passed"},
    "failed": {"zh": "未通过", "en": "FAILED"},
    "skipped": {"zh": "跳过", "en": "skipped"},
    "inconclusive": {"zh": "无法确定", "en": "inconclusive"},
}

CHECK: Final[dict[str, dict[str, str]]] = {
    "format": {"zh": "格式", "en": "Format"},
    "items.unique": {"zh": "每条记录只出现一次", "en": "Each entry once"},
    "record.signature": {"zh": "记录签名", "en": "Record signature"},
    "keys": {"zh": "密钥登记链", "en": "Key registrations"},
    "signer.registered": {"zh": "签名密钥已登记", "en": "Signer key registered"},
    "signer.authorised": {"zh": "签名密钥有权签署", "en": "Signer authorised"},
    "signer.not_revoked": {"zh": "签名密钥未被吊销", "en": "Signer key not revoked"},
    "record.leaf_hash": {"zh": "记录哈希", "en": "Leaf hash"},
    "record.inclusion": {"zh": "默克尔包含证明", "en": "Merkle inclusion"},
    "receipt": {"zh": "运营方回执", "en": "Operator receipt"},
    "receipt.key": {"zh": "回执密钥为登记的运营方密钥", "en": "Receipt key is a registered operator key"},
    "run.entries": {"zh": "序列中的每条记录", "en": "Every entry of the run"},
    "run.contiguous": {"zh": "序列连续无缺", "en": "Run contiguous"},
    "run.start": {"zh": "序列起点", "en": "Run start"},
    "anchor.batches": {"zh": "批次与锚定一致", "en": "Batches consistent"},
    "anchor.block_time": {"zh": "区块时间不早于接收时间", "en": "Block time after receipt"},
    "related": {"zh": "更正、审批与确认", "en": "Corrections and acks"},
    "context": {"zh": "背景记录", "en": "Context entries"},
    "disclosure": {"zh": "身份披露", "en": "Identity disclosure"},
    "chain.network": {"zh": "区块链网络", "en": "Chain network"},
    "chain.contract": {"zh": "锚定合约", "en": "Anchor contract"},
    "chain.root": {"zh": "链上批次根", "en": "Root on chain"},
    "chain.event": {"zh": "锚定交易事件", "en": "Anchoring event"},
    "chain.block": {"zh": "区块与时间", "en": "Block and time"},
    "chain.confirmations": {"zh": "区块确认", "en": "Confirmations"},
}

RECORD_TYPE: Final[dict[str, dict[str, str]]] = {
    "key": {"zh": "密钥登记", "en": "key registration"},
    "project": {"zh": "项目", "en": "project"},
    "org": {"zh": "参建单位", "en": "organisation"},
    "enrollment": {"zh": "进场登记", "en": "enrollment (进场)"},
    "exit": {"zh": "退场登记", "en": "exit (退场)"},
    "attendance": {"zh": "考勤打卡", "en": "gate punch (attendance)"},
    "wage": {"zh": "工资单行", "en": "wage line"},
    "payment": {"zh": "工资支付", "en": "wage payment"},
    "correction": {"zh": "更正", "en": "correction"},
    "approval": {"zh": "监理审批", "en": "supervisor approval"},
    "ack": {"zh": "工人确认", "en": "worker acknowledgement"},
    "training": {"zh": "培训记录", "en": "training"},
}

ROLE: Final[dict[str, dict[str, str]]] = {
    "operator": {"zh": "平台运营方根密钥", "en": "operator root key"},
    "admin": {"zh": "项目管理员", "en": "project administrator"},
    "contractor": {"zh": "施工单位", "en": "contractor"},
    "payroll": {"zh": "工资核算", "en": "payroll"},
    "supervisor": {"zh": "监理", "en": "supervisor (监理)"},
    "device": {"zh": "考勤闸机设备", "en": "gate device"},
    "worker": {"zh": "工人本人", "en": "the worker"},
    "bank": {"zh": "银行接口", "en": "bank"},
}

FINDING: Final[dict[str, dict[str, str]]] = {
    "status": {"zh": "记录状态", "en": "Record status"},
    "approval": {"zh": "监理审批", "en": "Supervisor approval"},
    "ack": {"zh": "工人确认", "en": "Worker acknowledgement"},
    "paid": {"zh": "实际支付", "en": "Paid"},
    "pending": {"zh": "尚未锚定的记录", "en": "Entries not yet anchored"},
    "timezone": {"zh": "时区", "en": "Time zone"},
    "unpaired": {"zh": "未配对打卡", "en": "Unpaired punch"},
    "wage_line": {"zh": "工资单行", "en": "Wage line"},
    "days": {"zh": "出勤天数", "en": "Days worked"},
    "hours": {"zh": "工时", "en": "Working time"},
    "gross": {"zh": "应发工资", "en": "Gross wage (应发)"},
    "net": {"zh": "实发工资", "en": "Net wage (实发)"},
    "enrolled": {"zh": "已进场", "en": "Enrolled"},
    "not_exited": {"zh": "未退场", "en": "Not exited"},
    "in_before": {"zh": "此前有进场打卡", "en": "IN punch before"},
    "present": {"zh": "在场结论", "en": "Present"},
}

TEXT: Final[dict[str, dict[str, str]]] = {
    "title": {"zh": "电子证据核验报告", "en": "Evidence verification report"},
    "bundle": {"zh": "证据包", "en": "Bundle"},
    "verdict": {"zh": "结论", "en": "Verdict"},
    "what": {"zh": "证明了什么", "en": "What was proven"},
    "record": {"zh": "记录内容", "en": "The record"},
    "signed_by": {"zh": "签名者", "en": "Signed by"},
    "anchored": {"zh": "区块链锚定", "en": "Anchored on the blockchain"},
    "checks": {"zh": "逐项核验", "en": "Checks"},
    "findings": {"zh": "复核与提示", "en": "Recomputation and notes"},
    "limits": {"zh": "证明的范围与局限", "en": "What the proof does not show"},
    "recheck": {"zh": "如何自行复核", "en": "How to check this yourself"},
    "field": {"zh": "字段", "en": "Field"},
    "value": {"zh": "值", "en": "Value"},
    "holder": {"zh": "持有者", "en": "Holder"},
    "role": {"zh": "角色", "en": "Role"},
    "registered": {"zh": "登记序号", "en": "Registered at seq"},
    "key_id": {"zh": "密钥编号", "en": "Key id"},
    "batch": {"zh": "批次", "en": "Batch"},
    "tx": {"zh": "交易", "en": "Transaction"},
    "block": {"zh": "区块", "en": "Block"},
    "block_time": {"zh": "区块时间", "en": "Block time"},
    "chain": {"zh": "链", "en": "Chain"},
    "contract": {"zh": "合约", "en": "Contract"},
    "check": {"zh": "核验项", "en": "Check"},
    "status": {"zh": "结果", "en": "Result"},
    "detail": {"zh": "说明", "en": "Detail"},
    "expected": {"zh": "复算值", "en": "Recomputed"},
    "actual": {"zh": "记录值", "en": "Stated"},
    "anchor_not_checked": {
        "zh": "注意：本次为离线核验（--offline），未向区块链核对锚定交易；锚定信息取自证据包本身。",
        "en": "Note: verified offline (--offline). The anchoring transaction was NOT checked on "
              "the blockchain; the anchor details were taken from the bundle itself.",
    },
    "generated": {"zh": "生成时间", "en": "Generated"},
    "day": {"zh": "日期", "en": "Date"},
    "daily": {"zh": "逐日考勤复算", "en": "Attendance, day by day"},
    "revoked_at": {"zh": "吊销于序号", "en": "revoked at seq"},
    "first_in": {"zh": "首次进场", "en": "First IN"},
    "last_out": {"zh": "最后出场", "en": "Last OUT"},
    "minutes": {"zh": "分钟", "en": "Minutes"},
    "punches": {"zh": "打卡次数", "en": "Punches"},
    "ok": {"zh": "一致", "en": "agrees"},
    "attention": {"zh": "请注意", "en": "attention"},
}

LIMITS: Final[dict[str, list[str]]] = {
    "zh": [
        "区块链锚定只证明该批记录最迟在区块时间已经存在且此后未被更改，不证明记录内容本身真实。",
        "上链之前的真实性依赖于采集时的设备签名：考勤记录由闸机设备在打卡时用其自身密钥签名，工资记录由"
        "施工单位签名、监理审批、工人确认。依《人民法院在线诉讼规则》第十六条至第十八条，上链后的数据经技术"
        "核验一致的推定未被篡改；上链前的真实性仍需结合来源、生成与存储方式、第三方见证及佐证数据（如考勤与"
        "工资天数的交叉核对、支付金额与实发工资的核对）综合判断。",
        "单条记录的证据包不能证明“不存在”其他记录（例如被隐瞒的更正）；工资与在场证据包以工人的连续记录"
        "序列证明序列内部无缺失，但序列终点之后的记录以出具时间为准。",
        "密钥吊销以证据包出具时已锚定的吊销记录为准；吊销不具有追溯力，吊销之前的记录仍然有效。",
        "证据包中的锚定合约地址与根密钥应与平台运营方公开的一致；核验程序确认证据包与其所称合约一致。",
    ],
    "en": [
        "Anchoring proves that the batch of records existed no later than the block time and has "
        "not changed since. It does not prove that what the records say is true.",
        "Authenticity before anchoring rests on the signature made at capture: gate punches are "
        "signed by the gate device's own key when the worker passes, wage lines by the contractor, "
        "approved by the supervisor and acknowledged by the worker. Under the Online Litigation "
        "Rules of the People's Courts (人民法院在线诉讼规则, 2021) §16–18, data that checks out "
        "technically is presumed unaltered after it went on chain; its authenticity before that is "
        "weighed on its source, how it was generated and stored, third-party witnesses and "
        "corroborating data (payroll days against attendance, paid amounts against net wages).",
        "A single-record bundle cannot prove that other records do not exist (a withheld "
        "correction, say). Wage and presence bundles carry a worker's entries as a run in which "
        "each entry names the one before, so nothing inside the run can be missing; entries "
        "after the run's end are covered only up to the time the bundle was issued.",
        "Key revocations are those anchored when the bundle was issued. A revocation is not "
        "retroactive: records logged before it stay valid.",
        "The contract address and root key in the bundle should match the ones the operator "
        "publishes; the verifier checks that the bundle agrees with the contract it names.",
    ],
}


def t(table: dict[str, dict[str, str]], key: str, lang: str) -> str:
    """``table[key][lang]``, or ``key`` itself for a key the table lacks."""
    return table.get(key, {}).get(lang, key)
