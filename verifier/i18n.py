"""Words of the terminal output and the evidence report in Chinese and English.

The verifier writes its check details and findings in English, with the values it compared.
``detail(text, "zh")`` translates them by the patterns in ``DETAILS`` (one per sentence the
verifier writes); a sentence no pattern knows comes back as None, and the report marks it as
untranslated (a test keeps the corpus and the demo free of such sentences).
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
    "batch.heads": {"zh": "运营方签名的批次头", "en": "Signed batch heads"},
    "checkpoint.batch": {"zh": "截止批次", "en": "Checkpoint batch"},
    "checkpoint.subject": {"zh": "工人记录完整至截止批次", "en": "Worker's entries complete"},
    "checkpoint.devices": {"zh": "闸机计数至截止批次", "en": "Gate counters at the checkpoint"},
    "checkpoint.gates": {"zh": "闸机事件计数声明", "en": "Gate counter statements"},
    "checkpoint.covers": {"zh": "截止时间覆盖所查时段", "en": "Checkpoint covers the period"},
    "anchor.witnesses": {"zh": "见证方联署", "en": "Witness quorum"},
    "chain.network": {"zh": "区块链网络", "en": "Chain network"},
    "chain.contract": {"zh": "锚定合约", "en": "Anchor contract"},
    "chain.root": {"zh": "链上批次根", "en": "Root on chain"},
    "chain.event": {"zh": "锚定交易事件", "en": "Anchoring event"},
    "chain.block": {"zh": "区块与时间", "en": "Block and time"},
    "chain.confirmations": {"zh": "区块确认", "en": "Confirmations"},
    "chain.witnesses": {"zh": "链上见证记录", "en": "Witnesses on chain"},
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
    "publication": {"zh": "考勤工资公示", "en": "publication (公示)"},
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
    "gate_gap": {"zh": "闸机事件缺号", "en": "Gate events missing"},
    "coverage": {"zh": "尚可能补传的记录", "en": "Events may still arrive"},
    "publication": {"zh": "向工人公示", "en": "Published to the worker"},
    "key_validity": {"zh": "密钥有效期", "en": "Key validity"},
    "no_out": {"zh": "无出场打卡", "en": "No OUT punch"},
    "stray_out": {"zh": "无对应进场的出场打卡", "en": "OUT with no IN"},
    "shift": {"zh": "班次覆盖该时刻", "en": "Shift at the instant"},
    "unclosed": {"zh": "16小时内无出场打卡", "en": "IN with no OUT within 16 h"},
}

TEXT: Final[dict[str, dict[str, str]]] = {
    "title": {"zh": "电子证据核验报告", "en": "Evidence verification report"},
    "bundle": {"zh": "证据包", "en": "Bundle"},
    "verdict": {"zh": "结论", "en": "Verdict"},
    "what": {"zh": "证明了什么", "en": "What was proven"},
    "record": {"zh": "记录内容", "en": "The record"},
    "signed_by": {"zh": "签名者", "en": "Signed by"},
    "anchored": {"zh": "区块链锚定", "en": "Anchored on the blockchain"},
    "witnesses": {"zh": "见证方联署", "en": "Witnesses"},
    "witnessed_by": {"zh": "由 {n} 个独立见证方中的 {k} 个联署确认（门限 {t} 个）：{names}。",
                     "en": "confirmed by {k} of {n} independent witnesses (threshold {t}): "
                           "{names}."},
    "unwitnessed": {"zh": "未获见证方联署确认：锚定时 {n} 个见证方中签署的不足 {t} 个，运营方按超时策略"
                          "单独锚定了该批次。原因：{reason}",
                    "en": "NOT confirmed by the witnesses: fewer than {t} of the {n} witnesses "
                          "signed, and the operator anchored the batch alone under its timeout "
                          "policy. Reason given: {reason}"},
    "no_witnesses": {"zh": "未载明见证方（锚定时合约尚未配置见证方，或已撤除）。",
                     "en": "no witnesses named (anchored when the registry had no witness set)."},
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
    "by_verifier": {"zh": "由 siteledger-verify 核验程序生成", "en": "written by siteledger-verify"},
    "summary": {"zh": "摘要", "en": "Summary"},
    "bundles_checked": {"zh": "个证据包已核验", "en": "bundles checked"},
    "anchored_on": {"zh": "证据锚定在", "en": "The proofs are anchored on"},
    "dev_chain": {
        "zh": "这是一条开发或测试用的链，由运行者自行控制，可随时重置：其上的锚定只能用于测试，"
              "不能证明记录在某一时间之后未被更改。",
        "en": "This is a development or test chain, controlled by whoever runs it and resettable "
              "at will: an anchor on it is for testing only and proves nothing to a third party "
              "about when the records existed.",
    },
    "dev_limit": {
        "zh": "本报告中的锚定位于开发链或测试网上，仅用于测试；正式证据须锚定在公共区块链或"
              "各方认可的联盟链上。",
        "en": "The anchors in this report are on a development chain or test network, for "
              "testing only; evidence for a dispute must be anchored on a public blockchain or a "
              "consortium chain the parties accept.",
    },
    "case": {"zh": "案件", "en": "Case"},
    "other_cases": {"zh": "其他案件", "en": "Other cases"},
    "notes_col": {"zh": "要点", "en": "What to note"},
    "note_attention": {"zh": "{n} 项需注意", "en": "{n} to look at"},
    "note_late": {"zh": "{n} 条打卡晚于一天上传", "en": "{n} punches uploaded over a day late"},
    "note_repair": {"zh": "{n} 条补卡", "en": "{n} repair punches"},
    "note_present": {"zh": "{at} 在场", "en": "on site at {at}"},
    "note_absent": {"zh": "{at} 不在场", "en": "not on site at {at}"},
    "note_none": {"zh": "无", "en": "nothing"},
    "more_cases": {"zh": "另有 {n} 个案件（其中 {bad} 个需要注意），详见下文。",
                   "en": "{n} more cases ({bad} needing attention) follow below."},
    "bundles": {"zh": "证据包", "en": "Bundles"},
    "gap_named": {
        "zh": "工资表少计 {n} 天（{days}）：正是工人异议中指出的日子，其打卡工时合计 {hm}，恰好等于工资表少计的工时。",
        "en": "The wage line leaves out {n} days ({days}): the days the worker names in the "
              "dispute, whose punched hours ({hm}) are exactly the hours the wage line is short.",
    },
    "gap_hours": {
        "zh": "工资表少计 {n} 天（{days}）：只有这几天的打卡工时合计（{hm}）等于工资表少计的工时。",
        "en": "The wage line leaves out {n} days ({days}): the only days whose punched hours "
              "({hm}) add up to the hours the wage line is short.",
    },
    "gap_unknown": {
        "zh": "工资表少计 {n} 天（工时少计 {hm}）；记录没有写明是哪几天（{c} 种日期组合符合工时差额）。",
        "en": "The wage line counts {n} days ({hm}) fewer than the punches; the records do not "
              "say which days ({c} sets of days fit the hours).",
    },
    "complete_to": {
        "zh": "该工人的记录完整至第 {n} 批（日志序号 {seq} 为止，封存时间 {at}）：此前没有遗漏。",
        "en": "The worker's entries are complete up to batch {n} (log entry {seq}, sealed at "
              "{at}): nothing before it is left out.",
    },
    "late_summary": {
        "zh": "{n} 条打卡在打卡时间一天以后才上传到平台；最晚的一条（{at}）晚了 {late}：区块链只能证明它在上传之后未被更改。",
        "en": "{n} punches reached the ledger more than a day after the time they state; the "
              "latest ({at}) {late} after: the blockchain proves only that it has not changed "
              "since it was received.",
    },
    "late_record": {
        "zh": "注意：平台于 {received} 才收到该记录，比记录所载时间（{time}）晚 {late}。区块链锚定只证明它自收到之后未被更改；"
              "此前的真实性取决于采集设备的签名和其他佐证。",
        "en": "Note: the ledger received this record at {received}, {late} after the time it "
              "states ({time}). The anchor proves only that it has not changed since it was "
              "received; before that, its authenticity rests on the capturing device's "
              "signature and corroborating evidence.",
    },
    "gross_line": {"zh": "应发（工资单）", "en": "Gross (wage line)"},
    "gross_expected": {"zh": "应发（按合同与打卡）", "en": "Gross (contract × punches)"},
    "net_line": {"zh": "实发（工资单）", "en": "Net (wage line)"},
    "paid_total": {"zh": "已支付", "en": "Paid"},
    "short_paid": {"zh": "少付", "en": "Short paid"},
    "days_lp": {"zh": "天数：工资单 / 打卡", "en": "Days: wage line / punches"},
    "hours_lp": {"zh": "工时：工资单 / 打卡", "en": "Hours: wage line / punches"},
    "days_unit": {"zh": "天", "en": "days"},
    "left_out": {"zh": "工资表未计", "en": "not in the wage line"},
    "noscript": {
        "zh": "（时间线图需要浏览器运行 JavaScript；下方各表包含同样的信息。）",
        "en": "(The timeline picture needs JavaScript; the tables below hold the same facts.)",
    },
    "unreadable_bundle": {"zh": "无法读取的证据包", "en": "unreadable bundle"},
    "recheck_intro": {
        "zh": "任何人均可使用开源核验程序独立复核本报告，无需信任平台运营方或施工单位：不用 ⟦Python⟧ 时，"
              "在任意浏览器中打开 siteledger 源代码中的核验页面 ⟦verifier/web/index.html⟧（离线运行），"
              "把证据包文件拖进去；用 ⟦Python 3.11⟧ 时，在源代码目录中运行下面的命令。证据包格式见 "
              "⟦docs/proof-format.md⟧，可据此另行编写核验程序。",
        "en": "Anyone can re-check this report with the open-source verifier, without trusting "
              "the operator or the contractor: without Python, open the verifier page "
              "⟦verifier/web/index.html⟧ of the siteledger source in any browser (it runs "
              "offline) and drop the bundle files on it; with Python 3.11, run the commands below "
              "in the source folder. The bundle format is specified in ⟦docs/proof-format.md⟧, so "
              "an expert can also write an independent verifier.",
    },
    "seq_range": {"zh": "日志序号", "en": "seq"},
    "ok": {"zh": "一致", "en": "agrees"},
    "attention": {"zh": "请注意", "en": "attention"},
}

FIELD: Final[dict[str, dict[str, str]]] = {
    "project": {"zh": "项目编码", "en": "Project"},
    "subject": {"zh": "工人（化名编号）", "en": "Worker (pseudonym)"},
    "corp_code": {"zh": "单位（统一社会信用代码）", "en": "Employer (corpCode)"},
    "pay_month": {"zh": "工资月份", "en": "Pay month"},
    "days": {"zh": "出勤天数", "en": "Days worked"},
    "work_minutes": {"zh": "工时", "en": "Working time"},
    "gross": {"zh": "应发工资", "en": "Gross wage"},
    "deductions": {"zh": "扣除项", "en": "Deductions"},
    "net": {"zh": "实发工资", "en": "Net wage"},
    "pay_date": {"zh": "发放日期", "en": "Pay date"},
    "back_pay": {"zh": "补发", "en": "Back pay"},
    "amount": {"zh": "金额", "en": "Amount"},
    "date": {"zh": "日期", "en": "Date"},
    "status": {"zh": "状态", "en": "Status"},
    "bank_serial_commitment": {"zh": "银行流水号承诺值", "en": "Bank serial (commitment)"},
    "wage": {"zh": "对应工资单（哈希）", "en": "Wage line paid (hash)"},
    "device": {"zh": "考勤设备", "en": "Gate device"},
    "device_seq": {"zh": "设备记录号", "en": "Device record number"},
    "direction": {"zh": "方向", "en": "Direction"},
    "verify_mode": {"zh": "核验方式", "en": "Verified by"},
    "source": {"zh": "来源", "en": "Source"},
    "match_score": {"zh": "比对分数", "en": "Match score"},
    "photo_digest": {"zh": "照片摘要", "en": "Photo digest"},
    "location": {"zh": "位置", "en": "Location"},
    "action": {"zh": "更正方式", "en": "Action"},
    "reason": {"zh": "理由", "en": "Reason"},
    "target": {"zh": "所指记录（哈希）", "en": "Target (hash)"},
    "replacement": {"zh": "替代记录（哈希）", "en": "Replacement (hash)"},
    "decision": {"zh": "决定", "en": "Decision"},
    "comment": {"zh": "意见", "en": "Comment"},
    "team": {"zh": "班组", "en": "Team"},
    "work_type": {"zh": "工种", "en": "Work type"},
    "work_role": {"zh": "人员类别", "en": "Work role"},
    "team_leader": {"zh": "班组长", "en": "Team leader"},
    "contract": {"zh": "劳动合同", "en": "Contract"},
    "identity_commitment": {"zh": "身份承诺值", "en": "Identity commitment"},
    "insured": {"zh": "已参保", "en": "Insured"},
    "objection_days": {"zh": "异议期（天）", "en": "Objection window (days)"},
    "seq": {"zh": "日志序号", "en": "Log entry (seq)"},
    "leaf_hash": {"zh": "记录哈希", "en": "Leaf hash"},
    "time": {"zh": "记录时间", "en": "Time"},
    "received_at": {"zh": "平台收录时间", "en": "Received by the ledger"},
    "id": {"zh": "记录编号", "en": "Record id"},
    "course": {"zh": "课程编号", "en": "Course"},
    "course_name": {"zh": "课程名称", "en": "Course name"},
    "minutes": {"zh": "时长", "en": "Duration"},
    "passed": {"zh": "考核通过", "en": "Passed"},
    "holder": {"zh": "持有者", "en": "Holder"},
    "roles": {"zh": "角色", "en": "Roles"},
    "projects": {"zh": "项目范围", "en": "Projects"},
    "valid_from": {"zh": "生效时间", "en": "Valid from"},
    "valid_until": {"zh": "失效时间", "en": "Valid until"},
    "public_key": {"zh": "公钥", "en": "Public key"},
    "name": {"zh": "名称", "en": "Name"},
    "tz_offset": {"zh": "时区", "en": "Time zone"},
    "general_contractor": {"zh": "总承包单位", "en": "General contractor"},
    "start_date": {"zh": "开始日期", "en": "Start date"},
    "end_date": {"zh": "结束日期", "en": "End date"},
    "corp_name": {"zh": "单位名称", "en": "Organisation name"},
    "corp_type": {"zh": "单位类型", "en": "Organisation type"},
    "teams": {"zh": "班组", "en": "Teams"},
}

VALUE: Final[dict[str, dict[str, str]]] = {
    "in": {"zh": "进场", "en": "IN"},
    "out": {"zh": "出场", "en": "OUT"},
    "realtime": {"zh": "实时上传", "en": "real time"},
    "backfill": {"zh": "离线补传", "en": "uploaded later (backfill)"},
    "repair": {"zh": "补卡", "en": "repair punch (补卡)"},
    "face": {"zh": "人脸", "en": "face"},
    "fingerprint": {"zh": "指纹", "en": "fingerprint"},
    "iris": {"zh": "虹膜", "en": "iris"},
    "card": {"zh": "刷卡", "en": "card"},
    "mobile": {"zh": "手机定位", "en": "mobile"},
    "manual": {"zh": "人工录入", "en": "entered by hand"},
    "paid": {"zh": "已支付", "en": "paid"},
    "failed": {"zh": "支付失败", "en": "failed"},
    "returned": {"zh": "已退回", "en": "returned"},
    "void": {"zh": "作废", "en": "void"},
    "amend": {"zh": "修改", "en": "amend"},
    "supplement": {"zh": "补录", "en": "supplement"},
    "approve": {"zh": "批准", "en": "approve"},
    "reject": {"zh": "驳回", "en": "reject"},
    "confirm": {"zh": "确认", "en": "confirm"},
    "dispute": {"zh": "提出异议", "en": "dispute"},
    "register": {"zh": "登记", "en": "register"},
    "revoke": {"zh": "吊销", "en": "revoke"},
    "fixed_term": {"zh": "固定期限", "en": "fixed term"},
    "per_task": {"zh": "以完成一定工作任务为期限", "en": "per task"},
    "hour": {"zh": "按小时", "en": "per hour"},
    "day": {"zh": "按日", "en": "per day"},
    "month": {"zh": "按月", "en": "per month"},
    "piece": {"zh": "计件", "en": "per piece"},
    "task": {"zh": "按任务", "en": "per task"},
    "social_insurance": {"zh": "社会保险", "en": "social insurance"},
    "housing_fund": {"zh": "住房公积金", "en": "housing fund"},
    "income_tax": {"zh": "个人所得税", "en": "income tax"},
    "advance": {"zh": "预支", "en": "advance"},
    "meals": {"zh": "伙食费", "en": "meals"},
    "lodging": {"zh": "住宿费", "en": "lodging"},
    "other": {"zh": "其他", "en": "other"},
    "true": {"zh": "是", "en": "yes"},
    "false": {"zh": "否", "en": "no"},
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


KIND: Final[dict[str, dict[str, str]]] = {
    "record": {"zh": "单条记录证据包", "en": "record bundle"},
    "wage": {"zh": "工资证据包", "en": "wage bundle"},
    "presence": {"zh": "在场证据包", "en": "presence bundle"},
}

# ---------------------------------------------------------------------------- check details

CODE_OPEN, CODE_CLOSE = "⟦", "⟧"
"""Markers around identifiers (hashes, key ids, codes) in a translated detail: the report shows
them as code, the terminal drops the markers."""
QUOTE_OPEN, QUOTE_CLOSE = "⟪", "⟫"
"""Markers around text quoted from a record (a reason, a comment): the parties' own words, shown
verbatim in either language."""


class Untranslated(Exception):
    """A detail (or a part of one) that no pattern of ``DETAILS`` knows."""


def _where(v: str) -> str:
    if v == "record":
        return "记录"
    name = v.split("[", 1)[0]
    label = {"run": "序列", "keys": "密钥登记", "related": "相关记录", "context": "背景记录",
             "pending": "未锚定记录"}.get(name, "")  # fmt: skip
    return f"{label}{CODE_OPEN}{v}{CODE_CLOSE}"


def _hm(v: str) -> str:
    m = re.fullmatch(r"(\d+)h(\d+)", v)
    return f"{m.group(1)}小时{m.group(2)}分" if m else v


_CHAIN_FIELD = {"root": "批次根", "first_seq": "首序号", "size": "批次大小", "batch_no": "批次号",
                "contract": "合约", "chain_id": "链 ID", "block number": "区块编号",
                "block hash": "区块哈希", "block time": "区块时间"}  # fmt: skip
_UNIT = {"hour": "小时", "day": "日", "month": "月", "piece": "件", "task": "项任务"}


_WHAT = {"receipt": "回执", "gate counter statement": "闸机计数声明", "batch head": "批次头",
         "checkpoint head": "截止批次头"}  # fmt: skip


def _untranslated(value: str) -> str:
    raise Untranslated(value)


def _conv(name: str, value: str) -> str:
    if name == "c":
        return f"{CODE_OPEN}{value}{CODE_CLOSE}"
    if name == "q":
        return f"{QUOTE_OPEN}{value}{QUOTE_CLOSE}"
    if name == "d":
        out = detail(value, "zh")
        if out is None:
            raise Untranslated(value)
        return out
    if name == "rt":
        return t(RECORD_TYPE, value, "zh")
    if name == "rts":
        return "、".join(t(RECORD_TYPE, x, "zh") for x in value.split(", "))
    if name == "w":
        return _where(value)
    if name == "v":
        return t(VALUE, value, "zh")
    if name == "roles":
        return "、".join(t(ROLE, x, "zh") for x in value.split(", "))
    if name == "scope":
        return "所有项目" if value == "every project" else "、".join(
            f"{CODE_OPEN}{x}{CODE_CLOSE}" for x in value.split(", "))
    if name == "hm":
        return _hm(value)
    if name == "fld":
        return _CHAIN_FIELD.get(value, value)
    if name == "dir":
        return {"IN": "进场打卡", "OUT": "出场打卡"}.get(value, value)
    if name == "unit":
        return _UNIT.get(value, value)
    if name == "st":
        return {"voided": "作废", "amended": "修改"}.get(value, value)
    if name == "k":
        return t(KIND, value, "zh")
    if name == "period":
        m = re.fullmatch(r"the instant (\S+)", value)
        if m:
            return f"时刻 {m.group(1)} "
        m = re.fullmatch(r"(\d{4})-(\d\d) \(ending (\S+)\)", value)
        if m:
            return f" {m.group(1)}年{int(m.group(2))}月（止于 {m.group(3)}）"
        raise Untranslated(value)
    if name == "gates":
        return "、".join(re.sub(r"^(\S+) at event (\S+)$", lambda g: f"{CODE_OPEN}{g.group(1)}"
                                f"{CODE_CLOSE} 至事件 {g.group(2)}", x) for x in value.split(", "))
    if name == "what":
        return _WHAT.get(value) or _untranslated(value)
    if name == "chain":
        return re.sub(r"(\S+) \(seq (\d+)\)", lambda m: f"{CODE_OPEN}{m.group(1)}{CODE_CLOSE}"
                      f"（序号 {m.group(2)}）", value).replace(" ← ", " ← ")  # fmt: skip
    raise KeyError(name)


_ITEM = r"(?P<where>record|\w+\[\d+\]) \(seq (?P<seq>\d+), (?P<t>\w+) (?P<id>[^)]+)\)"
_ITEM_ZH = "{where:w}（序号 {seq}，{t:rt} {id:c}）"
_YUAN = r"-?[\d,]+\.\d\d"
_T = r"\S+"

Template = str | Callable[[re.Match[str]], str]

DETAILS: Final[list[tuple[str, Template]]] = [
    # anchor.witnesses (docs/proof-format.md, "Witnesses")
    (r"no batch of the bundle names witnesses \(its registry had no witness set when they were "
     r"anchored\): nothing but the operator's key and the chain vouches for them",
     "证据包中没有任何批次载明见证方（锚定时合约未配置见证方）：只有运营方密钥和区块链为其作证"),
    (r"batch (?P<n>\d+): confirmed by (?P<k>\d+) of (?P<m>\d+) witnesses \(threshold (?P<t>\d+)\): "
     r"(?P<names>(?:(?!; batch ).)+)", "批次 {n}：经 {m} 个见证方中的 {k} 个联署确认（门限 {t} 个）：{names}"),
    (r"batch (?P<n>\d+): anchored WITHOUT a witness quorum \(threshold (?P<t>\d+) of (?P<m>\d+)\), "
     r"the anchorer's reason: '(?P<r>(?:(?!'; batch ).)*)'",
     "批次 {n}：未获见证方法定人数联署即已锚定（门限为 {m} 个中的 {t} 个），锚定程序给出的原因：{r:q}"),
    (r"batch (?P<n>\d+): no witnesses named \(anchored before the registry had a witness set, or "
     r"after it was cleared\)", "批次 {n}：未载明见证方（锚定于合约配置见证方之前，或见证方被撤除之后）"),
    (r"batch (?P<n>\d+): bitmap: names (?P<k>\d+) witnesses, the threshold is (?P<t>\d+)",
     "批次 {n}：签名位图只列出 {k} 个见证方，门限为 {t} 个"),
    (r"batch (?P<n>\d+): bitmap: must name 1 or more of the (?P<m>\d+) witnesses and no other index",
     "批次 {n}：签名位图须列出 {m} 个见证方中的至少一个，且不得含有其他序号"),
    (r"batch (?P<n>\d+): aggregate signature does not verify under the (?P<k>\d+) signers' keys",
     "批次 {n}：聚合签名在 {k} 个签名见证方的公钥下验证失败（签署的不是本批次、本合约或本链）"),
    (r"batch (?P<n>\d+): witness_sets\[(?P<s>\d+)\]\.witnesses\[(?P<i>\d+)\]\.pop: proof of "
     r"possession does not verify for key (?P<k>[0-9a-f]+)",
     "批次 {n}：见证方集合 {s} 中第 {i} 个见证方的密钥持有证明验证失败，公钥 {k:c}"),
    (r"batch (?P<n>\d+): witnesses sign the heads root, which a version 1 batch does not give",
     "批次 {n}：见证方签署包含头映射根，而第 1 版批次不提供该值"),
    (r"names witness set (?P<i>\d+), the bundle has (?P<n>\d+)", "指向见证方集合 {i}，而证据包只有 {n} 个集合"),
    (r"no anchor names this set", "没有任何锚定信息指向该见证方集合"),
    (r"holds at least one witness set \(omit it when no anchor names one\)",
     "至少应包含一个见证方集合（没有锚定信息指向见证方集合时应省略该字段）"),
    (r"must say why no quorum confirmed the batch", "必须说明该批次为何未获见证方法定人数确认"),
    (r"is '(?P<v>[^']*)', want 'witnessed' or 'unwitnessed'", "值为 {v:c}，应为 witnessed 或 unwitnessed"),
    (r"must be (?P<n>\d+) bytes of lowercase hex", "应为 {n} 字节的小写十六进制"),
    (r"must be a string of 1 to (?P<n>\d+) characters", "应为 1 至 {n} 个字符的字符串"),
    (r"must be an integer from 1 to (?P<n>\d+)", "应为 1 至 {n} 之间的整数"),
    (r"a public key appears twice", "同一公钥出现了两次"),
    (r"want 1 to (?P<m>\d+) members, got (?P<n>\d+)", "应有 1 至 {m} 个成员，实有 {n} 个"),
    (r"must be a list", "应为数组"),
    (r"must be an object", "应为对象"),
    # chain.witnesses
    (r"the chain reader cannot read witness events", "所用的链读取程序不能读取见证事件"),
    (r"the contract at (?P<c>0x[0-9a-fA-F]{40}) takes no witness sets, and the bundle names none",
     "合约 {c:c} 不支持见证方集合，证据包也未载明见证方"),
    (r"the contract at (?P<c>0x[0-9a-fA-F]{40}) takes no witness sets, but the bundle names "
     r"witnesses for batch (?P<n>[\d, ]+)",
     "合约 {c:c} 不支持见证方集合，证据包却为批次 {n} 载明了见证方：合约从未核验过这些联署"),
    (r"not checked: (?P<m>.+)", "未核对：{m:d}"),
    (r"the contract's witness events agree with the bundle: (?P<rest>.+)",
     lambda m: "合约的见证事件与证据包一致：" + "；".join(_witness_event_zh(x) for x in m["rest"].split("; "))),
    (r"batch (?P<n>\d+): the anchoring transaction (?P<t>0x[0-9a-f]{64}) says (?P<got>.+?), the bundle "
     r"says (?P<said>.+)", lambda m: f"批次 {m['n']}：锚定交易 {CODE_OPEN}{m['t']}{CODE_CLOSE} 表明"
     f"{_WITNESS_STATE_ZH[m['got']]}，而证据包称{_WITNESS_STATE_ZH[m['said']]}"),
    (r"batch (?P<n>\d+): the contract recorded signer bitmap (?P<a>[0-9a-f]+), the bundle (?P<b>[0-9a-f]+)",
     "批次 {n}：合约记录的签名位图为 {a:c}，证据包为 {b:c}"),
    (r"batch (?P<n>\d+): the contract's witness set (?P<v>\d+) is not the bundle's \(threshold and keys "
     r"differ\)", "批次 {n}：合约中的见证方集合 {v} 与证据包中的不同（门限或公钥不一致）"),
    # format
    (r"(?P<k>record|wage|presence) bundle, version (?P<v>\d+), (?P<n>\d+) proven entries",
     "{k:k}，格式第 {v} 版，共 {n} 条经证明的记录"),
    (r"unreadable: (?P<m>.+)", "无法读取：{m:d}"),
    (r"malformed JSON: .+ at line (?P<l>\d+) column (?P<c>\d+)", "JSON 格式错误（第 {l} 行第 {c} 列）"),
    (r"malformed JSON: .+", "JSON 格式错误"),
    (r"duplicate key '(?P<k>[^']*)'", "重复的键 {k:c}"),
    (r"non-integer number '(?P<v>[^']*)'", "非整数的数字 {v:c}"),
    (r"empty input", "输入为空"),
    (r"(?P<n>\d+) bytes, limit (?P<l>\d+)", "{n} 字节，超过上限 {l} 字节"),
    (r"not UTF-8 at byte (?P<n>\d+)", "第 {n} 字节处不是 UTF-8 编码"),
    (r"trailing data after the JSON value \((?P<n>\d+) characters\)", "JSON 值之后还有多余的 {n} 个字符"),
    (r"nested (?:deeper than \d+ levels|too deeply)", "嵌套层数过深"),
    (r"(?P<n>\d+) items, limit (?P<l>\d+)", "{n} 项，超过上限 {l} 项"),
    (r"(?P<n>\d+) fields, limit (?P<l>\d+)", "{n} 个字段，超过上限 {l} 个"),
    (r"unknown field", "未知字段"),
    (r"required field is missing", "缺少必填字段"),
    (r"unknown version (?P<v>\d+): this verifier reads version (?P<r>[\d, and]+?) only",
     "未知的格式版本 {v}：本核验程序只读取第 {r} 版"),
    (r"'(?P<v>[^']*)' does not match (?P<p>.+)", "值 {v:c} 不符合格式 {p:c}"),
    (r"'(?P<v>[^']*)' is not written in UTC \(Z\)", "{v:c} 不是以协调世界时（Z）书写的时间"),
    (r"'(?P<v>[^']*)' is not a record type", "{v:c} 不是记录类型"),
    (r"(?P<v>-?\d+) outside (?P<lo>-?\d+)\.\.(?P<hi>-?\d+)", "{v} 超出范围 {lo}–{hi}"),
    (r"must be an integer from (?P<lo>\d+) to (?P<hi>\d+)", "应为 {lo}–{hi} 之间的整数"),
    (r"(?P<v>\d+) beyond the largest integer (?P<hi>\d+)", "{v} 超过最大整数 {hi}"),
    (r"unknown head proof form (?P<v>\S+), want (?P<w>\d+)", "未知的头证明格式 {v}，应为 {w}"),
    (r"must be base64 \(RFC 4648, padded\)", "应为 base64 编码（RFC 4648，带填充）"),
    (r"not the canonical base64 spelling", "不是 base64 的规范写法"),
    (r"a bit is set beyond the depth (?P<d>\d+)", "超出深度 {d} 的位被置 1"),
    (r"(?P<n>\d+) bytes, want 32 for each of the (?P<c>\d+) siblings marked present",
     "{n} 字节，应为标记存在的 {c} 个兄弟节点各 32 字节"),
    (r"sibling (?P<i>\d+) is empty: it is a 0 bit of present, not listed",
     "第 {i} 个兄弟节点为空：应在 present 中记为 0，不应列出"),
    (r"longer than (?P<n>\d+) characters", "超过 {n} 个字符"),
    (r"must be an? (?P<t>\w+), got (?P<g>\w+)", "类型不符：应为 {t:c}，实为 {g:c}"),
    (r"gross (?P<g>\d+) − deductions (?P<d>\d+) = (?P<x>\d+), but net is (?P<n>\d+)",
     "应发 {g} 分 − 扣除 {d} 分 = {x} 分，但实发为 {n} 分"),
    (r"unknown kind '(?P<k>[^']*)', want one of .+", "未知的证据包类型 {k:c}"),
    (r"a run holds at least one entry", "序列至少应有一条记录"),
    # keys and signatures
    (r"(?P<n>\d+) key entries replay in log order to the genesis root key",
     "{n} 条密钥登记记录按日志顺序重放，均可追溯至创世根密钥"),
    (_ITEM + r": (?P<m>.+)", _ITEM_ZH + "：{m:d}"),
    (_ITEM, _ITEM_ZH),
    (r"leaf hash: calculated (?P<c>\w+), bundle states (?P<s>\w+)",
     "记录哈希：计算值 {c:c}，证据包所称 {s:c}"),
    (r"inclusion in batch (?P<b>\d+): (?P<m>.+)", "批次 {b} 的包含证明：{m:d}"),
    (r"inclusion proof does not lead to the root: calculated (?P<c>\w+), expected (?P<e>\w+)",
     "包含证明得不出批次根：计算值 {c:c}，应为 {e:c}"),
    (r"wrong proof size (?P<a>\d+), want (?P<b>\d+)", "证明路径长度为 {a}，应为 {b}"),
    (r"wrong proof size (?P<a>\d+): proof ends (?P<n>\d+) levels short",
     "证明路径长度为 {a}：少了 {n} 层"),
    (r"wrong proof size (?P<a>\d+): too (?P<w>long|short)", "证明路径长度 {a} 不对"),
    (r"leaf index (?P<i>\d+) out of range for tree size (?P<n>\d+)", "叶子位置 {i} 超出树的大小 {n}"),
    (r"(?P<w>\w+) is (?P<n>\d+) bytes, want (?P<m>\d+)", "{w:c} 为 {n} 字节，应为 {m} 字节"),
    (r"leaf index (?P<i>\d+), but seq (?P<s>\d+) is at index (?P<w>\d+) of batch (?P<b>\d+) "
     r"\(first seq (?P<f>\d+)\)", "叶子位置为 {i}，但序号 {s} 在批次 {b}（首序号 {f}）中应位于 {w}"),
    (r"signed by (?P<k>\w+), which has no valid earlier registration",
     "由密钥 {k:c} 签名，而该密钥此前没有有效登记"),
    (r"record signature: (?P<m>.+)", "记录签名：{m:d}"),
    (r"receipt signature: (?P<m>.+)", "回执签名：{m:d}"),
    (r"signature does not verify under key (?P<k>\w+)", "签名在密钥 {k:c} 下验证不通过"),
    (r"no registration of its signer (?P<k>\w+) in the bundle's keys",
     "证据包的密钥中没有其签名者 {k:c} 的登记"),
    (r"signer (?P<k>\w+) has no valid registration in the bundle", "签名者 {k:c} 在证据包中没有有效登记"),
    (r"a (?P<t>\w+) record in the keys", "密钥部分中出现了{t:rt}记录"),
    (r"key (?P<k>\w+) is registered twice", "密钥 {k:c} 被登记了两次"),
    (r"revokes key (?P<k>\w+), which has no valid earlier registration in the bundle",
     "吊销密钥 {k:c}，而该密钥在证据包中此前没有有效登记"),
    (r"key (?P<k>\w+) is revoked twice \(seq (?P<a>\d+) and (?P<b>\d+)\)",
     "密钥 {k:c} 被吊销了两次（序号 {a} 和 {b}）"),
    (r"self-signed key registration at seq (?P<s>\d+): only the genesis \(seq 0\) is",
     "序号 {s} 的密钥登记为自签名：只有创世登记（序号 0）可以自签名"),
    (r"the genesis key must have the operator role for every project",
     "创世密钥必须具有适用于所有项目的平台运营方角色"),
    (r"(?P<a>\S+) and (?P<b>\S+) both claim seq (?P<s>\d+)", "{a:w} 与 {b:w} 都声称序号 {s}"),
    (r"Ed25519 signature of key (?P<k>\w+) over the record verifies",
     "记录的 Ed25519 签名经密钥 {k:c} 验证有效"),
    (r"registered: (?P<p>.+)", "已登记：{p:chain}"),
    (r"no valid registration of key (?P<k>\w+) in the bundle: (?P<m>.+)",
     "证据包中没有密钥 {k:c} 的有效登记：{m:d}"),
    (r"no valid registration of key (?P<k>\w+) in the bundle", "证据包中没有密钥 {k:c} 的有效登记"),
    (r"holder (?P<h>\S+) with role (?P<r>[\w, ]+?) for (?P<s>.+?), valid from (?P<f>\S+) until "
     r"(?P<u>\S+), may sign (?P<t>\w+) records at (?P<at>\S+)",
     "持有者 {h:c}，角色：{r:roles}，适用于{s:scope}，有效期 {f} 至 {u}，可签署 {at} 的{t:rt}记录"),
    (r"holder (?P<h>\S+) with role (?P<r>[\w, ]+?) for (?P<s>.+?), valid from (?P<f>\S+), may "
     r"sign (?P<t>\w+) records at (?P<at>\S+)",
     "持有者 {h:c}，角色：{r:roles}，适用于{s:scope}，自 {f} 起有效，可签署 {at} 的{t:rt}记录"),
    (r"key (?P<k>\w+) is not authorised for project (?P<p>\S+)", "密钥 {k:c} 无权签署项目 {p:c} 的记录"),
    (r"key (?P<k>\w+) has roles (?P<r>[\w, ]+); none may sign (?P<t>\w+) records",
     "密钥 {k:c} 的角色为{r:roles}，均无权签署{t:rt}记录"),
    (r"the signer's key is not registered", "签名密钥未登记"),
    (r"no revocation of the key in the bundle", "证据包中没有该密钥的吊销记录"),
    (r"key (?P<k>\w+) was revoked at seq (?P<a>\d+), before this record at seq (?P<b>\d+)",
     "密钥 {k:c} 已于序号 {a} 被吊销，早于本记录（序号 {b}）"),
    (r"revoked later, at seq (?P<a>\d+); revocation is not retroactive, so this record at seq "
     r"(?P<b>\d+) stands", "该密钥后来于序号 {a} 被吊销；吊销不溯及既往，本记录（序号 {b}）仍然有效"),
    # each entry once, block time after receipt, the receipt key
    (r"(?P<n>\d+) entries, each at most once in the bundle", "{n} 条记录，每条在证据包中只出现一次"),
    (r"seq (?P<s>\d+) appears (?P<n>\d+) times \((?P<w>[^)]*)\)",
     "序号 {s} 出现了 {n} 次（{w:c}）"),
    (r"batch (?P<b>\d+) is anchored at (?P<t>\S+), before (?P<w>\S+) \(seq (?P<s>\d+)\) was "
     r"received at (?P<r>\S+) \(allowed skew (?P<k>\d+) s\)",
     "批次 {b} 的锚定时间 {t} 早于{w:w}（序号 {s}）的收录时间 {r}（允许误差 {k} 秒）"),
    (r"every batch's block time is at or after the receipt time of each of its entries in the "
     r"bundle, less (?P<k>\d+) s", "每个批次的区块时间都不早于其中各条记录的收录时间（允许误差 {k} 秒）"),
    (r"key (?P<k>\w+) \(the genesis root key\) of (?P<h>\S+), registered at seq (?P<r>\d+) with "
     r"role operator, not revoked at seq (?P<s>\d+)",
     "密钥 {k:c}（创世根密钥，持有者 {h:c}）于序号 {r} 登记为平台运营方角色，至序号 {s} 未被吊销"),
    (r"key (?P<k>\w+) of (?P<h>\S+), registered at seq (?P<r>\d+) with role operator, not revoked "
     r"at seq (?P<s>\d+)", "密钥 {k:c}（持有者 {h:c}）于序号 {r} 登记为平台运营方角色，至序号 {s} 未被吊销"),
    (r"the (?P<w>receipt|[\w ]+?) is signed by key (?P<k>\w+), which has no valid registration in "
     r"the bundle's keys: (?P<m>.+)", "{w:what}由密钥 {k:c} 签名，而证据包的密钥中没有它的有效登记：{m:d}"),
    (r"the (?P<w>receipt|[\w ]+?) is signed by key (?P<k>\w+), which has no valid registration in "
     r"the bundle's keys", "{w:what}由密钥 {k:c} 签名，而证据包的密钥中没有它的有效登记"),
    (r"the (?P<w>receipt|[\w ]+?) is signed by key (?P<k>\w+) \((?P<h>[^)]+)\), whose roles are "
     r"(?P<r>[\w, ]+): only an operator key signs receipts",
     "{w:what}由密钥 {k:c}（{h:c}）签名，其角色为{r:roles}：只有平台运营方密钥才能签署回执"),
    (r"the (?P<w>receipt|[\w ]+?) for seq (?P<s>\d+) is signed by key (?P<k>\w+), revoked at seq "
     r"(?P<r>\d+)", "对序号 {s} 的{w:what}由密钥 {k:c} 签名，而该密钥已于序号 {r} 被吊销"),
    # format v2: signed batch heads, the checkpoint, gate counter statements
    (r"the receipt", "回执"),
    (r"the head of batch (?P<b>\d+)", "批次 {b} 的批次头"),
    (r"the statement of gate (?P<g>\S+)", "闸机 {g:c} 的计数声明"),
    (r"the checkpoint head", "截止批次头"),
    (r"(?P<w>the .+?) is signed by key (?P<k>\w+), which has no valid registration in the keys",
     "{w:d}由密钥 {k:c} 签名，而证据包的密钥中没有它的有效登记"),
    (r"(?P<w>the .+?) is signed by key (?P<k>\w+) \((?P<h>[^)]+)\), which has no operator role",
     "{w:d}由密钥 {k:c}（{h:c}）签名，而该密钥没有平台运营方角色"),
    (r"(?P<w>the .+?) is signed by key (?P<k>\w+), revoked at seq (?P<r>\d+)",
     "{w:d}由密钥 {k:c} 签名，而该密钥已于序号 {r} 被吊销"),
    (r"(?P<w>the (?:head of batch \d+|statement of gate \S+|checkpoint head)): signature: (?P<m>.+)",
     "{w:d}的签名：{m:d}"),
    (r"(?P<n>\d+) batch heads signed by a registered operator key \(size, roots and sealing time as "
     r"the operator signed them\)", "{n} 个批次头由登记的平台运营方密钥签名（批次大小、根与封存时间均经运营方签名）"),
    (r"batch (?P<b>\d+) is anchored at (?P<t>\S+), before its signed head says it was sealed "
     r"\((?P<s>\S+)\)", "批次 {b} 的锚定时间 {t} 早于其签名批次头所称的封存时间（{s}）"),
    (r"(?P<w>\S+) \(seq (?P<s>\d+)\) is in batch (?P<b>\d+), after the checkpoint batch (?P<n>\d+)",
     "{w:w}（序号 {s}）位于批次 {b}，晚于截止批次 {n}"),
    (r"(?P<w>\S+) describes batch (?P<n>\d+) differently from the checkpoint",
     "{w:w} 对批次 {n} 的描述与截止批次不一致"),
    (r"checkpoint batch (?P<n>\d+) \(seq (?P<a>\d+)–(?P<b>\d+)\), at or after the batch of every "
     r"entry in the bundle, anchored at block time (?P<t>\S+)",
     "截止批次 {n}（日志序号 {a}–{b}），不早于证据包中每条记录所在的批次，区块时间 {t}"),
    (r"no head proof for subject/(?P<s>\S+) in the checkpoint", "截止批次中没有工人 {s:c} 的头部证明"),
    (r"the head map of batch (?P<n>\d+) holds no entry of (?P<s>\S+), but the run holds entries",
     "批次 {n} 的头部映射中没有工人 {s:c} 的记录，但序列中有其记录"),
    (r"the worker's head at batch (?P<n>\d+) is subject_seq (?P<c>\d+) \(seq (?P<s>\d+)\), but the "
     r"run ends at subject_seq (?P<x>\d+) \(seq (?P<y>\d+)\): entries after the run's end are "
     r"missing from the bundle",
     "截至批次 {n}，该工人最新记录为工人记录号 {c}（序号 {s}），但序列止于工人记录号 {x}（序号 {y}）：序列末尾之后的记录未包含在证据包中"),
    (r"the worker's head at batch (?P<n>\d+) is subject_seq (?P<c>\d+) \(seq (?P<s>\d+)\), but the "
     r"run ends at subject_seq (?P<x>\d+) \(seq (?P<y>\d+)\): the run does not end at the head",
     "截至批次 {n}，该工人最新记录为工人记录号 {c}（序号 {s}），但序列止于工人记录号 {x}（序号 {y}）：序列没有止于最新记录"),
    (r"head proof: the worker's last entry up to batch (?P<n>\d+) is subject_seq (?P<x>\d+) \(seq "
     r"(?P<y>\d+)\), the run's last entry: nothing after the run is missing",
     "头部证明：截至批次 {n}，该工人的最后一条记录是工人记录号 {x}（序号 {y}），即序列的最后一条：序列之后没有缺失"),
    (r"no head proof for gate (?P<g>\S+) in the checkpoint", "截止批次中没有闸机 {g:c} 的头部证明"),
    (r"gate (?P<g>\S+)'s head at batch (?P<n>\d+) is event (?P<c>\d+), below event (?P<t>\d+) used in "
     r"the bundle", "截至批次 {n}，闸机 {g:c} 的最新事件号为 {c}，小于证据包所用的事件 {t}"),
    (r"head proofs for (?P<n>\d+) gates: (?P<l>.+)", "{n} 台闸机的头部证明：{l:gates}"),
    (r"the bundle uses no gate's punches", "证据包未使用任何闸机的打卡"),
    (r"two statements for gate (?P<g>\S+)", "闸机 {g:c} 有两份计数声明"),
    (r"(?P<w>\S+): a second head proof for (?P<k>\S+)", "{w:w}：{k:c} 的第二份头部证明"),
    (r"(?P<w>\S+): a head proof for (?P<k>\S+), which the bundle does not use",
     "{w:w}：{k:c} 的头部证明，证据包并未用到该键"),
    (r"(?P<w>\S+): a statement for gate (?P<g>\S+), whose punches the bundle does not use",
     "{w:w}：闸机 {g:c} 的计数声明，证据包并未用到该闸机的打卡"),
    (r"(?P<w>\S+) is about (?P<p>\S+) as of batch (?P<a>\d+), not (?P<q>\S+) as of the checkpoint "
     r"batch (?P<n>\d+)", "{w:w} 针对项目 {p:c}、截至批次 {a}，而不是项目 {q:c}、截至截止批次 {n}"),
    (r"no counter statement for gate (?P<g>\S+)", "没有闸机 {g:c} 的计数声明"),
    (r"(?P<n>\d+) gate counter statements signed by the operator hold every punch the bundle uses",
     "{n} 份由平台运营方签名的闸机计数声明包含证据包所用的每一条打卡"),
    (r"(?P<w>\S+): (?P<i>\S+) \(seq (?P<s>\d+)\) is event (?P<e>\d+) of (?P<g>\S+), which the "
     r"statement does not hold", "{w:w}：{i:w}（序号 {s}）是闸机 {g:c} 的事件 {e}，而计数声明中没有它"),
    (r"(?P<w>\S+): the statement holds event (?P<e>\d+) of (?P<g>\S+), beyond the gate's head "
     r"counter (?P<c>\S+) at the checkpoint", "{w:w}：计数声明包含闸机 {g:c} 的事件 {e}，超出截止批次时该闸机的最新事件号 {c}"),
    (r"gate (?P<g>\S+) events? (?P<a>\d+)(?:–(?P<b>\d+))? missing between (?P<t>\S+) and (?P<u>\S+)",
     lambda m: (f"闸机 {CODE_OPEN}{m.group('g')}{CODE_CLOSE} 在 {m.group('t')} 与 {m.group('u')} 之间"
                f"缺少事件 {m.group('a')}" + (f"–{m.group('b')}" if m.group("b") else ""))),
    (r"complete up to batch (?P<n>\d+), sealed at (?P<x>\S+): at least (?P<d>\d+) days "
     r"\(the project's sync allowance\) after (?P<w>.+)",
     "记录完整至批次 {n}（封存时间 {x}）：晚于{w:period}至少 {d} 天（项目的补传期限）"),
    (r"complete up to batch (?P<n>\d+), sealed at (?P<x>\S+); events for (?P<w>.+?) may "
     r"still arrive until (?P<t>\S+) \(sync allowance (?P<d>\d+) days\): ask again after that",
     "记录完整至批次 {n}（封存时间 {x}）；关于{w:period}的记录在 {t} 之前仍可能补传（补传期限 {d} 天）：请在此之后重新核验"),
    (r"events for (?P<w>.+?) may still arrive until (?P<t>\S+); complete up to batch (?P<n>\d+), "
     r"sealed at (?P<x>\S+)",
     "关于{w:period}的记录在 {t} 之前仍可能补传；记录完整至批次 {n}（封存时间 {x}）"),
    (r"(?P<w>\S+) names registry version (?P<a>\d+), (?P<f>\S+) (?P<b>\d+)",
     "{w:w} 所称锚定合约版本为 {a}，而 {f:w} 为 {b}"),
    (r"(?P<w>\S+) \((?P<k>[^)]+)\): (?P<m>.+)", "{w:w}（{k:c}）：{m:d}"),
    (r"head proof of '(?P<k>[^']+)' does not lead to the root: calculated (?P<c>\w+), expected "
     r"(?P<e>\w+)", "{k:c} 的头部证明得不出头部映射根：计算值 {c:c}，应为 {e:c}"),
    (r"proof shows '(?P<k>[^']+)' absent, but a value was claimed", "证明显示 {k:c} 不存在，但证据包声称有值"),
    (r"proof shows '(?P<k>[^']+)' present, but absence was claimed", "证明显示 {k:c} 存在，但证据包声称不存在"),
    (r"proof holds another value for '(?P<k>[^']+)'.*", "证明中 {k:c} 的值与所称不同"),
    (r"proof ends at another key, not '(?P<k>[^']+)'.*", "证明止于另一个键，而非 {k:c}"),
    # leaf hash, inclusion, receipt
    (r"SHA-256\(0x00 ‖ canonical entry\) = (?P<h>\w+)", "SHA-256(0x00 ‖ 规范化记录) = {h:c}"),
    (r"calculated (?P<c>\w+), bundle states (?P<s>\w+)", "计算值 {c:c}，证据包所称 {s:c}"),
    (r"leaf (?P<i>\d+) of (?P<n>\d+) in batch (?P<b>\d+) leads to root (?P<r>\w+)",
     "批次 {b}（共 {n} 条）中第 {i} 个叶子经包含证明得出批次根 {r:c}"),
    (r"operator receipt for seq (?P<s>\d+) signed by the genesis root key (?P<k>\w+)",
     "运营方对序号 {s} 的回执，由创世根密钥 {k:c} 签名"),
    (r"operator receipt for seq (?P<s>\d+) signed by a key that is not the genesis root key "
     r"(?P<k>\w+)", "运营方对序号 {s} 的回执，签名密钥 {k:c} 不是创世根密钥"),
    (r"receipt leaf hash (?P<a>\w+) is not the entry's (?P<b>\w+)",
     "回执中的记录哈希 {a:c} 与记录的哈希 {b:c} 不符"),
    (r"receipt names log key (?P<a>\w+), operator_key is (?P<b>\w+)",
     "回执所称日志密钥为 {a:c}，而运营方密钥为 {b:c}"),
    (r"receipt is for seq (?P<a>\d+), the record is at seq (?P<b>\d+)", "回执针对序号 {a}，而记录的序号为 {b}"),
    (r"receipt time (?P<a>\S+) is not the entry's (?P<b>\S+)", "回执时间 {a} 与记录收录时间 {b} 不符"),
    # runs
    (r"(?P<n>\d+) entries: leaf hashes, inclusion proofs, signatures and authorisations hold",
     "{n} 条记录：哈希、包含证明、签名和授权均成立"),
    (r"(?P<m>.+) \(and (?P<n>\d+) more\)", "{m:d}（另有 {n} 条）"),
    (r"subject_seq (?P<a>\d+)\.\.(?P<b>\d+) of (?P<s>\S+), each entry naming the leaf hash of the "
     r"one before: nothing inside the run is missing",
     "工人 {s:c} 的第 {a}–{b} 条记录，每条都包含前一条的哈希：序列内部没有缺失"),
    (r"(?P<w>\w+\[\d+\]): subject_seq (?P<a>\d+) follows (?P<b>-?\d+): (?P<n>-?\d+) entries missing",
     "{w:w}：工人记录号 {a} 紧接在 {b} 之后，缺少 {n} 条"),
    (r"(?P<w>\w+\[\d+\]): subject_prev (?P<h>\S+) is not the leaf hash of the entry before it "
     r"\((?P<p>\w+)\)", "{w:w}：所称前一条哈希 {h:c} 与前一条记录的哈希 {p:c} 不符"),
    (_ITEM + r" is about (?P<a>\S+), not (?P<b>\S+)", _ITEM_ZH + " 关于 {a:c}，而非 {b:c}"),
    (r"the run starts at the worker's first entry", "序列从该工人的第一条记录开始"),
    (r"the run starts at subject_seq (?P<n>\d+), received (?P<r>\S+), before (?P<b>\S+): no entry "
     r"about (?P<m>\S+) can precede it",
     "序列从工人记录号 {n} 开始，其收录时间 {r} 早于 {b}：关于 {m} 的记录不可能在它之前"),
    (r"the run starts at subject_seq (?P<n>\d+), received (?P<r>\S+), not before (?P<b>\S+): "
     r"entries about (?P<m>\S+) could be missing before it",
     "序列从工人记录号 {n} 开始，其收录时间 {r} 不早于 {b}：在它之前可能缺少关于 {m} 的记录"),
    (r"the run starts at the enrollment on (?P<p>\S+) of (?P<d>\S+)", "序列从 {d} 在项目 {p:c} 的进场登记开始"),
    (r"the run starts with a (?P<t>\w+) record, not an enrollment on (?P<p>\S+) made before "
     r"(?P<at>\S+)", "序列以{t:rt}记录开始，而不是 {at} 之前在项目 {p:c} 的进场登记"),
    # batches and anchors
    (r"(?P<n>\d+) batches, one registry, consistent ranges, blocks and transactions",
     "{n} 个批次，同一锚定合约，批次范围、区块与交易一致"),
    (r"batch (?P<b>\d+) is described differently in (?P<x>\S+) and (?P<y>\S+)",
     "批次 {b} 在 {x:w} 与 {y:w} 中的描述不一致"),
    (r"batch (?P<b>\d+) is anchored in block (?P<n>\d+) at (?P<t>\S+), before block (?P<m>\d+) of "
     r"batch (?P<c>\d+) at (?P<u>\S+)",
     "批次 {b} 锚定于第 {n} 号区块（{t}），早于批次 {c} 所在的第 {m} 号区块（{u}）"),
    (r"batch (?P<b>\d+) is anchored in an earlier block than batch (?P<c>\d+)",
     "批次 {b} 锚定的区块早于批次 {c}"),
    (r"(?P<x>\S+) is anchored on chain (?P<c>\d+) contract (?P<k>\w+), (?P<y>\S+) on chain "
     r"(?P<d>\d+) contract (?P<l>\w+)", "{x:w} 锚定在链 {c} 的合约 {k:c}，而 {y:w} 锚定在链 {d} 的合约 {l:c}"),
    (r"batches (?P<a>\d+) \[(?P<r1>[^)]+)\) and (?P<b>\d+) \[(?P<r2>[^)]+)\) are not contiguous in "
     r"order", "批次 {a} [{r1}) 与批次 {b} [{r2}) 不按顺序连续"),
    (r"transaction (?P<t>\w+) is given as the anchor of batches (?P<a>\d+) and (?P<b>\d+); each "
     r"batch has its own", "交易 {t:c} 被同时列为批次 {a} 和 {b} 的锚定交易；每个批次应有自己的交易"),
    (r"block (?P<h>\w+) is given two numbers or times", "区块 {h:c} 有两个不同的编号或时间"),
    (r"batch (?P<b>\d+) cannot start at seq (?P<s>\d+)", "批次 {b} 不可能从序号 {s} 开始"),
    # related, context, disclosure
    (r"no corrections, approvals, acknowledgements or payments name the bundle's entries",
     "没有更正、审批、确认或支付记录指向本证据包中的记录"),
    (r"(?P<n>\d+) related entries verify and name entries of the bundle",
     "{n} 条相关记录经核验有效，且指向本证据包中的记录"),
    (r"names no entry of the bundle \((?P<h>[^)]*)\)", "未指向本证据包中的任何记录（{h:c}）"),
    (r"no context entries", "无背景记录"),
    (r"(?P<n>\d+) context entries verify \((?P<t>[\w, ]+)\)", "{n} 条背景记录经核验有效（{t:rts}）"),
    (r"(?P<w>context\[\d+\]) is the project record of (?P<p>\S+), not of (?P<q>\S+)",
     "{w:w} 是项目 {p:c} 的项目记录，而不是 {q:c} 的"),
    (r"(?P<w>context\[\d+\]) enrolls (?P<s>\S+) on (?P<p>\S+), not the bundle's (?P<t>\S+) on "
     r"(?P<q>\S+)", "{w:w} 是 {s:c} 在项目 {p:c} 的进场登记，而不是本证据包的 {t:c} 在 {q:c} 的"),
    (r"(?P<w>context\[\d+\]) is a (?P<r>\w+) record, which no check takes from the context",
     "{w:w} 是{r:rt}记录，没有任何核验项从背景记录中取用此类记录"),
    (r"holds an unpaired surrogate \(not Unicode text\)", "含有不成对的代理码位（不是有效的 Unicode 文本）"),
    (r"a version 1 bundle holds version 1 records only, not version (?P<v>\d+)",
     "版本 1 的证据包只能包含版本 1 的记录，而这条是版本 {v}"),
    (r"names the entry at seq (?P<s>\d+) of project (?P<p>\S+), not of its own project (?P<q>\S+)",
     "所指向的序号 {s} 的记录属于项目 {p:c}，而不是本记录所属的项目 {q:c}"),
    (r"names the entry at seq (?P<s>\d+) about (?P<w>\S+), but is about (?P<v>.+)",
     lambda m: (f"所指向的序号 {m.group('s')} 的记录关于 {CODE_OPEN}{m.group('w')}{CODE_CLOSE}，而本记录关于"
                + ("无工人" if m.group("v") == "no worker" else f" {CODE_OPEN}{m.group('v')}{CODE_CLOSE}"))),
    (r"the project record of (?P<p>\S+) is missing \(its time zone and sync allowance\)",
     "缺少项目 {p:c} 的项目记录（其时区和同步宽限期）"),
    (r"the bundle discloses no identity", "证据包未披露身份信息"),
    (r"SHA-256\(tag ‖ 0x00 ‖ salt ‖ canonical\(fields\)\) equals the identity commitment "
     r"(?P<h>\w+) of enrollment seq (?P<s>\d+)",
     "SHA-256(标签 ‖ 0x00 ‖ 盐值 ‖ 规范化字段) 等于序号 {s} 进场登记中的身份承诺值 {h:c}"),
    (r"disclosure does not match commitment (?P<h>\w+) \(calculated (?P<c>\w+)\)",
     "披露的身份信息与承诺值 {h:c} 不符（计算值 {c:c}）"),
    (r"no enrollment entry at seq (?P<s>\d+) in the bundle", "证据包中没有序号 {s} 的进场登记"),
    (r"the disclosure is about (?P<a>\S+), the enrollment about (?P<b>\S+)",
     "披露针对 {a:c}，而进场登记针对 {b:c}"),
    (r"the enrollment is on project (?P<p>\S+), not the record's", "进场登记属于项目 {p:c}，与记录的项目不同"),
    (r"the enrollment entry does not verify: (?P<m>.+)", "进场登记未通过核验：{m:d}"),
    # on chain
    (r"not checked: verification was asked offline \(--offline\); the anchor fields were taken "
     r"from the bundle", "未核对：本次为离线核验（--offline），锚定信息取自证据包本身"),
    (r"not checked: no chain to ask \(give --rpc URL, or --offline to accept the bundle's anchor "
     r"unchecked\)", "未核对：没有可查询的区块链（请用 --rpc 指定节点地址，或用 --offline 接受未经核对的锚定信息）"),
    (r"wrong network", "区块链网络不符"),
    (r"chain unreachable: .*", "无法连接区块链"),
    (r"chain id (?P<c>\d+)", "链 ID {c}"),
    (r"the node serves chain (?P<a>\d+), the bundle was anchored on chain (?P<b>\d+)",
     "节点所在的链 ID 为 {a}，而证据包锚定在链 {b}"),
    (r"(?P<a>0x\w+) runs the AnchorRegistry code", "{a:c} 运行的是本系统的锚定合约代码"),
    (r"the chain reader cannot read code", "链读取程序无法读取合约代码"),
    (r"no contract at (?P<a>\w+) on chain (?P<c>\d+)", "链 {c} 上地址 {a:c} 没有合约"),
    (r"the contract stores the bundle's root for all (?P<n>\d+) batches",
     "合约中存有全部 {n} 个批次的批次根，与证据包一致"),
    (r"each transaction emitted the Anchored event of its batch \((?P<n>\d+)\)",
     "每笔锚定交易都发出了其批次的锚定事件（{n} 个）"),
    (r"block numbers, hashes and times match the chain", "区块编号、哈希与时间均与链上一致"),
    (r"every anchoring block is on the canonical chain", "每个锚定区块都在主链上"),
    (r"batch (?P<b>\d+) is not anchored in (?P<a>\w+)", "批次 {b} 未在合约 {a:c} 中锚定"),
    (r"batch (?P<b>\d+): contract has (?P<w>\w+) (?P<x>\S+), bundle (?P<y>\S+)",
     "批次 {b}：合约中的{w:fld}为 {x:c}，证据包为 {y:c}"),
    (r"batch (?P<b>\d+): (?P<a>\w+) has no batchCount\(\): not an AnchorRegistry",
     "批次 {b}：{a:c} 不是本系统的锚定合约"),
    (r"transaction (?P<t>\w+) anchored (?P<w>\w+) (?P<x>\S+), the bundle says (?P<y>\S+) "
     r"\(batch (?P<b>\d+)\)", "交易 {t:c} 锚定的{w:fld}为 {x:c}，证据包称 {y:c}（批次 {b}）"),
    (r"batch (?P<b>\d+): transaction (?P<t>\w+) emitted no Anchored event from (?P<a>\w+)",
     "批次 {b}：交易 {t:c} 没有发出合约 {a:c} 的锚定事件"),
    (r"batch (?P<b>\d+): contract recorded block (?P<x>\d+), bundle (?P<y>\d+)",
     "批次 {b}：合约记录的区块为 {x}，证据包为 {y}"),
    (r"batch (?P<b>\d+): contract recorded time (?P<x>\S+), bundle (?P<y>\S+)",
     "批次 {b}：合约记录的时间为 {x}，证据包为 {y}"),
    (r"batch (?P<b>\d+): (?P<w>block number|block hash|block time) on chain (?P<x>\S+), bundle "
     r"(?P<y>\S+)", "批次 {b}：链上{w:fld}为 {x:c}，证据包为 {y:c}"),
    (r"batch (?P<b>\d+): block (?P<n>\d+) (?P<h>\w+) is not on the canonical chain \(reorganised "
     r"away, or not reached by this node\)", "批次 {b}：第 {n} 号区块 {h:c} 不在主链上（已被重组，或该节点尚未同步到）"),
    (r"batch (?P<b>\d+): (?P<m>.+)", "批次 {b}：{m:d}"),
    # findings
    (r"no correction voids or amends the record", "没有更正记录作废或修改该记录"),
    (r"a correction \(seq (?P<s>\d+), (?P<a>\w+): (?P<r>.*)\) names the record but is not "
     r"approved in the bundle", "一条更正记录（序号 {s}，{a:v}：{r:q}）指向该记录，但证据包中没有对它的批准"),
    (r"the record is (?P<st>voided|amended) by correction seq (?P<s>\d+) \((?P<r>.*)\), approved "
     r"at seq (?P<a>\d+)", "该记录已被更正记录（序号 {s}，理由：{r:q}）{st:st}，该更正于序号 {a} 获批准"),
    (r"supervisor decision (?P<d>\w+) at seq (?P<s>\d+) \((?P<t>[^)]+)\)",
     "监理于 {t} 作出决定：{d:v}（序号 {s}）"),
    (r"the worker (?P<d>confirm|dispute)s it at seq (?P<s>\d+) \((?P<t>[^)]+)\): (?P<r>.*)",
     "工人于 {t} {d:v}（序号 {s}）：{r:q}"),
    (r"the worker (?P<d>confirm|dispute)s it at seq (?P<s>\d+) \((?P<t>[^)]+)\)",
     "工人于 {t} {d:v}（序号 {s}）"),
    (r"payments naming this wage line total (?P<p>" + _YUAN + r") yuan, net wage (?P<n>" + _YUAN
     + r") yuan", "指向该工资单的支付合计 {p} 元，实发工资 {n} 元"),
    (r"(?P<n>\d+) entries named by or following the bundle's entries were not anchored when it was "
     r"issued \((?P<t>[^)]+)\): seq (?P<l>.+?); ask for a new bundle to have them proven",
     "{n} 条与本证据包记录相关或在其后的记录在出具时（{t}）尚未锚定：序号 {l}；请重新获取证据包以证明它们"),
    (r"no project record of (?P<p>\S+) in the bundle: local days are taken in each punch's own "
     r"offset", "证据包中没有项目 {p:c} 的项目记录：本地日期按每条打卡自身的时区计算"),
    (r"(?P<d>\d{4}-\d\d-\d\d): IN at (?P<t>\S+) with no OUT after it", "{d}：{t} 进场后没有出场打卡"),
    (r"no wage line for (?P<m>\S+) on (?P<p>\S+) in the run", "序列中没有项目 {p:c} {m} 的工资单"),
    (r"(?P<n>\d+) regular wage lines for (?P<m>\S+); the first is compared",
     "{m} 有 {n} 条正常工资单；仅比对第一条"),
    (r"the wage line counts (?P<a>\d+) days; the punches show (?P<b>\d+) days with an IN",
     "工资单计 {a} 天；打卡记录显示有进场打卡的天数为 {b} 天"),
    (r"the wage line counts (?P<a>\d+h\d+); first IN to last OUT sums to (?P<b>\d+h\d+)",
     "工资单计工时 {a:hm}；按每天首次进场至最后出场合计 {b:hm}"),
    (r"the wage line counts (?P<a>\d+h\d+); the month's shifts sums? to (?P<b>\d+h\d+)",
     "工资单计工时 {a:hm}；本月各班次合计 {b:hm}"),
    (r"contract (?P<p>" + _YUAN + r") yuan per (?P<u>\w+): (?P<e>" + _YUAN + r") yuan; the wage "
     r"line says (?P<g>" + _YUAN + r")", "合同单价 {p} 元/{u:unit}：应为 {e} 元；工资单为 {g} 元"),
    (r"gross (?P<g>" + _YUAN + r") − deductions (?P<d>" + _YUAN + r") = (?P<x>" + _YUAN
     + r"); net (?P<n>" + _YUAN + r")", "应发 {g} 元 − 扣除 {d} 元 = {x} 元；实发 {n} 元"),
    (r"approved by the supervisor at seq (?P<s>\d+)", "监理已批准（序号 {s}）"),
    (r"no supervisor approval of the wage line in the bundle", "证据包中没有监理对该工资单的批准"),
    (r"the worker (?P<d>confirm|dispute)s the wage line at seq (?P<s>\d+): (?P<r>.*)",
     "工人对工资单{d:v}（序号 {s}）：{r:q}"),
    (r"the worker (?P<d>confirm|dispute)s the wage line at seq (?P<s>\d+)", "工人对工资单{d:v}（序号 {s}）"),
    (r"payments for (?P<m>\S+) total (?P<p>" + _YUAN + r") yuan; net wages (?P<n>" + _YUAN
     + r") yuan", "{m} 的支付合计 {p} 元；实发工资合计 {n} 元"),
    (r"enrolled on (?P<p>\S+) by seq (?P<s>\d+)", "已在项目 {p:c} 进场登记（序号 {s}）"),
    (r"no enrollment on (?P<p>\S+) before (?P<t>\S+)", "{t} 之前没有在项目 {p:c} 的进场登记"),
    (r"no exit before the instant", "该时刻之前没有退场登记"),
    (r"exited at (?P<t>\S+) \(seq (?P<s>\d+)\)", "已于 {t} 退场（序号 {s}）"),
    (r"no punch on (?P<p>\S+) before (?P<t>\S+)", "{t} 之前在项目 {p:c} 没有打卡记录"),
    (r"the last punch before (?P<t>\S+) is (?P<d>IN|OUT) at (?P<a>\S+) \(seq (?P<s>\d+), device "
     r"(?P<v>[^)]+)\); no OUT between it and the instant",
     "{t} 之前的最后一次打卡是 {a} 的{d:dir}（序号 {s}，设备 {v:c}）；此后至该时刻没有出场打卡"),
    (r"the last punch before (?P<t>\S+) is (?P<d>IN|OUT) at (?P<a>\S+) \(seq (?P<s>\d+), device "
     r"(?P<v>[^)]+)\)", "{t} 之前的最后一次打卡是 {a} 的{d:dir}（序号 {s}，设备 {v:c}）"),
    (r"on site at (?P<t>\S+)", "{t} 在场"),
    (r"not shown on site at (?P<t>\S+)", "无法证明 {t} 在场"),
    (r"unknown version (?P<v>\d+): this verifier reads versions 1 and 2",
     "未知的格式版本 {v}：本核验程序读取第 1 版和第 2 版"),
    (r"(?P<w>\S+) covers (?P<a>\S+) to (?P<b>\S+), not the whole window (?P<c>\S+) to (?P<d>\S+) "
     r"the bundle asks about", "{w:w} 只涵盖 {a} 至 {b}，未涵盖证据包所问的整个时段 {c} 至 {d}"),
    (r"key (?P<k>\w+) expired at (?P<e>\S+); with the sync allowance of (?P<n>\d+) days its "
     r"records had to be received by (?P<d>\S+), this one was received at (?P<r>\S+)",
     "密钥 {k:c} 已于 {e} 失效；按 {n} 天的补传期限，其签署的记录须在 {d} 之前送达，而本记录于 {r} 才送达"),
    (r"the objection window of publication '(?P<p>[^']*)' \((?P<n>\d+) days\) closed at "
     r"(?P<c>\S+); the ack was received at (?P<r>\S+)",
     "公示 {p:c} 的异议期（{n} 天）已于 {c} 届满；而该确认于 {r} 才送达"),
    # version 2 findings: shifts, publications
    (r"the shift from IN at (?P<a>.+?) to OUT at (?P<b>.+?) covers (?P<t>\S+)",
     lambda m: f"从 {_punch_zh(m['a'])} 进场到 {_punch_zh(m['b'])} 出场的班次覆盖 {m['t']}"),
    (r"IN at (?P<a>.+?) with no OUT of its own, less than 16 h before (?P<t>\S+)",
     lambda m: f"{_punch_zh(m['a'])} 进场，此后没有对应的出场打卡，且距 {m['t']} 不足 16 小时"),
    (r"no shift on (?P<p>\S+) covers (?P<t>\S+) \(an IN before it closed by an OUT after it, or an "
     r"IN less than 16 h before it with no OUT\)", "项目 {p:c} 没有覆盖 {t} 的班次"),
    (r"IN at (?P<a>.+?) has no OUT within 16 h yet \(the checkpoint ends less than 16 h after it\)",
     lambda m: f"{_punch_zh(m['a'])} 进场，截止批次距此不足 16 小时，尚无出场打卡"),
    (r"IN at (?P<a>.+?) has no OUT within 16 h",
     lambda m: f"{_punch_zh(m['a'])} 进场，16 小时内没有出场打卡"),
    (r"OUT at (?P<a>.+?) closes no IN", lambda m: f"{_punch_zh(m['a'])} 出场，没有对应的进场打卡"),
    (r"(?P<m>\d{4}-\d\d) published at seq (?P<s>\d+) \((?P<t>\S+): (?P<d>\d+) days, (?P<h>\d+h\d+)\): "
     r"(?P<rest>.+)", lambda m: f"{m['m']} 已于序号 {m['s']}（{m['t']}）向工人公示：{m['d']} 天，"
                               f"{_hm(m['h'])}；{_pub_zh(m['rest'])}"),
    (r"(?P<m>\d{4}-\d\d) was not published to the worker in the bundle", "证据包中没有 {m} 向工人公示的记录"),
    # a field path before a decoder's message: keep last, it matches broadly
    (r"(?P<path>[A-Za-z_][\w.\[\]]*): (?P<m>.+)", "字段 {path:c}：{m:d}"),
]

def _punch_zh(v: str) -> str:
    """``2026-10-05 07:30 (+08:00, GATE-01, seq 42)`` (``ledger.core.shifts.describe``)."""
    m = re.fullmatch(r"(\S+ \S+) \(([+-]\d\d:\d\d), (\S+), seq (\d+)\)", v)
    if m is None:
        raise Untranslated(v)
    return f"{m[1]}（{m[2]}，闸机 {CODE_OPEN}{m[3]}{CODE_CLOSE}，序号 {m[4]}）"


def _pub_zh(rest: str) -> str:
    m = re.fullmatch(r"the worker objected at seq (\d+): (.*)", rest, re.S)
    if m:
        return f"工人于序号 {m[1]} 提出异议：{QUOTE_OPEN}{m[2]}{QUOTE_CLOSE}"
    m = re.fullmatch(r"the worker acknowledged it at seq (\d+)", rest)
    if m:
        return f"工人于序号 {m[1]} 确认"
    m = re.fullmatch(r"no objection within the window, which closed at (\S+) \(the checkpoint was "
                     r"sealed after it\)", rest)
    if m:
        return f"异议期已于 {m[1]} 届满，工人未提出异议"
    m = re.fullmatch(r"the objection window is still open until (\S+)", rest)
    if m:
        return f"异议期尚未届满（至 {m[1]}）"
    raise Untranslated(rest)


_WITNESS_STATE_ZH: Final[dict[str, str]] = {
    "witnessed (a Witnessed event: a quorum signed it)": "已获见证方法定人数联署（Witnessed 事件）",
    "anchored without a quorum (an AnchoredWithoutQuorum event)": "未获见证方法定人数联署即已锚定（AnchoredWithoutQuorum 事件）",
    "nothing about witnesses": "未载明见证方",
}


def _witness_event_zh(part: str) -> str:
    m = re.fullmatch(r"batch (\d+): (witnessed|unwitnessed) under witness set (\d+)", part)
    if m:
        state = "经见证方联署" if m[2] == "witnessed" else "未获见证方联署"
        return f"批次 {m[1]}：{state}（见证方集合 {m[3]}）"
    m = re.fullmatch(r"batch (\d+): no witness event, none named", part)
    if m:
        return f"批次 {m[1]}：无见证事件，证据包也未载明见证方"
    raise Untranslated(part)


_COMPILED: Final = [(re.compile(p), tpl) for p, tpl in DETAILS]
_PLACE = re.compile(r"\{(\w+)(?::(\w+))?\}")


def _apply(tpl: Template, m: re.Match[str]) -> str:
    if callable(tpl):
        return tpl(m)

    def sub(p: re.Match[str]) -> str:
        value = m.group(p.group(1))
        if value is None:
            return ""
        return _conv(p.group(2), value) if p.group(2) else value

    return _PLACE.sub(sub, tpl)


def _one(text: str) -> str:
    for rx, tpl in _COMPILED:
        m = rx.fullmatch(text)
        if m is not None:
            try:
                return _apply(tpl, m)
            except Untranslated:
                continue
    raise Untranslated(text)


def detail(text: str, lang: str) -> str | None:
    """``text`` (a check detail or finding the verifier wrote) in ``lang``; None if no pattern
    knows it. Identifiers in the result are wrapped in ``CODE_OPEN``/``CODE_CLOSE``. Several
    problems joined by "; " are translated one by one when the whole is not known."""
    if lang != "zh" or not text:
        return text
    try:
        return _one(text)
    except Untranslated:
        pass
    try:
        return "；".join(_one(part) for part in text.split("; "))
    except Untranslated:
        return None


def plain(text: str) -> str:
    """A translated detail without the markers (for the terminal)."""
    for m in (CODE_OPEN, CODE_CLOSE, QUOTE_OPEN, QUOTE_CLOSE):
        text = text.replace(m, "")
    return text
