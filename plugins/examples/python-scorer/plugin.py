#!/usr/bin/python3 -sE
"""python-scorer: a Credo scoring plugin written in Python.

The Credo host starts this file through hashicorp/go-plugin: it checks the magic cookie,
serves the Plugin, Scorer and grpc.health.v1 services (plus go-plugin's GRPCController, so
the host can stop it cleanly) on 127.0.0.1, with mutual TLS when the host sends its
certificate in PLUGIN_CLIENT_CERT (AutoMTLS), and prints go-plugin's handshake line.

The scorer is a transparent rule-of-thumb model of a loan_application record: points for
debt burden, loan size against income, time with the employer, age, housing and existing
loans, mapped to a probability of default by the usual scorecard scaling.

The shebang's -s and -E keep the user's site-packages and PYTHON* variables (a pyenv
PYTHONPATH, say) out of the interpreter, so the plugin always runs on Debian's grpc.
"""

import sys

# Importing the generated modules would otherwise write __pycache__ into the plugin
# directory, next to the checksum-pinned executable.
sys.dont_write_bytecode = True

import base64  # noqa: E402
import datetime  # noqa: E402
import ipaddress  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import threading  # noqa: E402
from concurrent import futures  # noqa: E402

try:
    import grpc
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    from google.protobuf import empty_pb2

    import credo_plugin_pb2 as pb
    import credo_plugin_pb2_grpc as pb_grpc
    import health_pb2
    import health_pb2_grpc

    _IMPORT_ERROR = None
except ImportError as err:  # reported by main(), after the cookie check
    _IMPORT_ERROR = err

NAME = "python-scorer"
VERSION = "0.1.0"
MODEL_VERSION = "python-scorer-rules-1"
DESCRIPTION = "Rule-of-thumb credit scorer for loan_application records, written in Python."
CURRENCY = "CNY"

# The go-plugin handshake of Credo's protocol version 1 (plugins/proto/handshake.go).
# These values never change.
CORE_PROTOCOL_VERSION = 1
APP_PROTOCOL_VERSION = 1
MAGIC_COOKIE_KEY = "CREDO_PLUGIN"
MAGIC_COOKIE_VALUE = "2f6c1d8e-credo-lending-plugin"

# go-plugin's host checks this health service name.
HEALTH_SERVICE = "plugin"
# Seconds in-flight calls get to finish once the host asks the plugin to stop; the host
# kills a plugin that has not exited two seconds after asking.
SHUTDOWN_GRACE = 1.0

READS = sorted([
    "amount",
    "birth_date",
    "existing_loans_count",
    "housing_status",
    "monthly_debt",
    "monthly_income",
    "other_income",
    "term_months",
    "years_employed",
])

DEFAULT_MAX_LIMIT = 200000.0
DEFAULT_ANNUAL_RATE = 0.12

CONFIG_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "max_limit": {
            "type": "number",
            "exclusiveMinimum": 0,
            "default": DEFAULT_MAX_LIMIT,
            "description": "Largest credit limit the scorer suggests, in CNY.",
        },
        "annual_rate": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "default": DEFAULT_ANNUAL_RATE,
            "description": "Annual interest rate used to estimate monthly instalments (0.12 = 12%).",
        },
    },
    "additionalProperties": False,
}

# Scorecard scaling: BASE_POINTS means good:bad odds of ODDS_AT_BASE, and every
# POINTS_TO_DOUBLE_ODDS more points double those odds.
BASE_POINTS = 600
ODDS_AT_BASE = 20.0
POINTS_TO_DOUBLE_ODDS = 40.0
SCORE_MIN, SCORE_MAX = 300, 850

# Lowest score of each grade, best first; below the last is D.
GRADE_FLOORS = (("S", 720), ("A", 660), ("B", 600), ("C", 540))
# Share of the affordable amount suggested per grade; D gets no limit.
GRADE_LIMIT_SHARE = {"S": 1.0, "A": 0.85, "B": 0.7, "C": 0.5, "D": 0.0}
# Debt payments may take at most this share of monthly income.
MAX_DEBT_SHARE = 0.5
# The loan_application form accepts no amount below this, so a smaller limit is none.
MIN_LIMIT = 1000.0

HOUSING = {
    "owned_no_mortgage": (30, "housing_owned", "Owns a home without a mortgage.", "自有住房且无按揭。"),
    "owned_mortgage": (15, "housing_mortgage", "Owns a home with a mortgage.", "自有住房（按揭中）。"),
    "family": (0, None, None, None),
    "rented": (-10, "housing_rented", "Lives in rented housing.", "租房居住。"),
    "dormitory": (-10, "housing_dormitory", "Lives in an employer dormitory.", "居住在单位宿舍。"),
    "other": (-15, "housing_other", "Housing situation is unclear.", "住房情况不明确。"),
}


class BadInput(ValueError):
    """The record or the configuration cannot be scored; the host gets INVALID_ARGUMENT."""


# ---------------------------------------------------------------------------------------
# The model: plain functions of a record, no gRPC.


def parse_config(raw):
    """Decodes a binding's configuration (JSON bytes, empty for none) strictly."""
    cfg = _json_object(raw, "config")
    unknown = sorted(set(cfg) - set(CONFIG_SCHEMA["properties"]))
    if unknown:
        raise BadInput("config: unknown field(s) " + ", ".join(unknown))
    max_limit = _number(cfg, "max_limit", "config")
    rate = _number(cfg, "annual_rate", "config")
    if max_limit is not None and max_limit <= 0:
        raise BadInput("config: max_limit must be above 0")
    if rate is not None and not 0 <= rate <= 1:
        raise BadInput("config: annual_rate must be between 0 and 1")
    return {
        "max_limit": DEFAULT_MAX_LIMIT if max_limit is None else max_limit,
        "annual_rate": DEFAULT_ANNUAL_RATE if rate is None else rate,
    }


def parse_record(raw):
    """Decodes the record the host sent (a JSON object of the fields in READS)."""
    return _json_object(raw, "record")


def _json_object(raw, what):
    if not raw:
        return {}
    try:
        value = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as err:
        raise BadInput(f"{what} is not JSON: {err}") from None
    if not isinstance(value, dict):
        raise BadInput(f"{what} is not a JSON object")
    return value


def _reject_constant(name):
    raise ValueError(f"{name} is not a number")


def _number(obj, key, where="record", required=False):
    """Returns obj[key] as a finite float, None when absent (or null) and optional."""
    value = obj.get(key)
    if value is None:
        if required:
            raise BadInput(f"{where}: {key} is required")
        return None
    if isinstance(value, bool):  # bool is an int in Python; true is no amount
        raise BadInput(f"{where}: {key} must be a number")
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise BadInput(f"{where}: {key} must be a number") from None
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise BadInput(f"{where}: {key} must be a number")
    return float(value)


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def age_on(birth_date, today):
    """Whole years from birth_date ("YYYY-MM-DD") to today."""
    if not isinstance(birth_date, str) or not _DATE.match(birth_date):
        raise BadInput("record: birth_date must be a date YYYY-MM-DD")
    try:
        born = datetime.date.fromisoformat(birth_date)
    except ValueError:
        raise BadInput("record: birth_date is not a calendar date") from None
    if born > today:
        raise BadInput("record: birth_date is in the future")
    # A birthday not yet reached this year (29 February counts as reached on 1 March).
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def monthly_payment(principal, months, annual_rate):
    """Equal-instalment payment of principal over months at annual_rate."""
    r = annual_rate / 12
    if r == 0:
        return principal / months
    return principal * r / (1 - (1 + r) ** -months)


def present_value(payment, months, annual_rate):
    """The principal that a monthly payment repays over months at annual_rate."""
    r = annual_rate / 12
    if r == 0:
        return payment * months
    return payment * (1 - (1 + r) ** -months) / r


def probability_of_default(score):
    """Logistic in the score: odds ODDS_AT_BASE at BASE_POINTS, doubling every PDO."""
    log_odds = math.log(ODDS_AT_BASE) + (score - BASE_POINTS) * math.log(2) / POINTS_TO_DOUBLE_ODDS
    return 1 / (1 + math.exp(log_odds))


def grade_of(score):
    for grade, floor in GRADE_FLOORS:
        if score >= floor:
            return grade
    return "D"


def _pct(x):
    return f"{x * 100:.0f}%"


def _years(x):
    return f"{x:g}"


def score_record(record, config, today=None):
    """Scores a loan_application record.

    Returns a dict with score, probability_of_default, grade, suggested_limit (a decimal
    string, "" for none), currency, reasons (code, text, points; most adverse first) and
    model_version. Raises BadInput when a needed field is missing or malformed.
    """
    today = today or datetime.date.today()
    income = _number(record, "monthly_income", required=True)
    other_income = _number(record, "other_income") or 0.0
    debt = _number(record, "monthly_debt", required=True)
    amount = _number(record, "amount", required=True)
    term = _number(record, "term_months", required=True)
    years_employed = _number(record, "years_employed")
    loans = _number(record, "existing_loans_count")
    if "birth_date" not in record or record["birth_date"] is None:
        raise BadInput("record: birth_date is required")
    age = age_on(record["birth_date"], today)
    for key, value in (("monthly_income", income), ("other_income", other_income),
                       ("monthly_debt", debt), ("years_employed", years_employed),
                       ("existing_loans_count", loans)):
        if value is not None and value < 0:
            raise BadInput(f"record: {key} must not be negative")
    if amount <= 0:
        raise BadInput("record: amount must be above 0")
    if term < 1 or term != int(term):
        raise BadInput("record: term_months must be a whole number of months")
    term = int(term)
    housing = record.get("housing_status")
    if housing is not None and housing not in HOUSING:
        raise BadInput(f"record: housing_status {housing!r} is not one of " + ", ".join(HOUSING))

    total_income = income + other_income
    instalment = monthly_payment(amount, term, config["annual_rate"])
    reasons = []

    def add(code, points, en, zh):
        if points:
            reasons.append({"code": code, "points": float(points), "text": {"en": en, "zh-CN": zh}})

    # Debt burden with this loan's estimated instalment: the strongest single signal.
    if total_income <= 0:
        add("income_none", -150, "No monthly income is declared.", "未申报月收入。")
    else:
        dti = (debt + instalment) / total_income
        d = _pct(dti)
        if dti <= 0.20:
            add("dti_low", 60, f"Debt payments including this loan take {d} of monthly income.",
                f"含本笔贷款的月还款占月收入的{d}。")
        elif dti <= 0.35:
            add("dti_moderate", 30, f"Debt payments including this loan take {d} of monthly income.",
                f"含本笔贷款的月还款占月收入的{d}。")
        elif dti <= 0.50:
            pass
        elif dti <= 0.65:
            add("dti_high", -60, f"Debt payments including this loan would take {d} of monthly income.",
                f"含本笔贷款的月还款将占月收入的{d}，负担较重。")
        else:
            add("dti_very_high", -120, f"Debt payments including this loan would take {d} of monthly income.",
                f"含本笔贷款的月还款将占月收入的{d}，负担过重。")

        # Loan size against a year's income.
        ratio = amount / (total_income * 12)
        r = _pct(ratio)
        if ratio <= 0.25:
            add("amount_small", 30, f"The amount is {r} of annual income.", f"申请金额为年收入的{r}。")
        elif ratio <= 0.5:
            add("amount_moderate", 10, f"The amount is {r} of annual income.", f"申请金额为年收入的{r}。")
        elif ratio <= 1.0:
            add("amount_large", -20, f"The amount is {r} of annual income.", f"申请金额达年收入的{r}。")
        else:
            add("amount_exceeds_income", -60, f"The amount exceeds annual income ({r}).",
                f"申请金额超过年收入（{r}）。")

    if years_employed is None:
        add("employment_unknown", -10, "Time with the current employer is not given.", "未提供现单位工作年限。")
    elif years_employed < 1:
        add("employment_short", -30, f"Less than a year with the current employer ({_years(years_employed)}).",
            f"现单位工作不足一年（{_years(years_employed)}年）。")
    elif years_employed >= 5:
        add("employment_long", 40, f"{_years(years_employed)} years with the current employer.",
            f"现单位工作{_years(years_employed)}年。")
    elif years_employed >= 3:
        add("employment_stable", 20, f"{_years(years_employed)} years with the current employer.",
            f"现单位工作{_years(years_employed)}年。")

    if age < 18:
        add("age_minor", -200, f"The applicant is {age}, under 18.", f"申请人{age}岁，未满18周岁。")
    elif age < 22:
        add("age_young", -30, f"The applicant is {age}.", f"申请人{age}岁，年龄偏小。")
    elif age < 26:
        add("age_early_career", -10, f"The applicant is {age}.", f"申请人{age}岁。")
    elif age <= 55:
        add("age_prime", 20, f"The applicant is {age}.", f"申请人{age}岁，处于稳定工作年龄段。")
    elif age > 60:
        add("age_over_60", -30, f"The applicant is {age}, past usual retirement age.",
            f"申请人{age}岁，已过通常退休年龄。")

    if housing is not None:
        points, code, en, zh = HOUSING[housing]
        add(code, points, en, zh)

    if loans is not None:
        n = int(loans)
        if n == 0:
            add("no_other_loans", 10, "No other loans outstanding.", "无其他未结清贷款。")
        elif n >= 5:
            add("many_loans", -50, f"{n} other loans outstanding.", f"另有{n}笔未结清贷款。")
        elif n >= 3:
            add("several_loans", -25, f"{n} other loans outstanding.", f"另有{n}笔未结清贷款。")

    score = BASE_POINTS + sum(r["points"] for r in reasons)
    score = int(max(SCORE_MIN, min(SCORE_MAX, round(score))))
    grade = grade_of(score)

    # Limit: what the income affords under MAX_DEBT_SHARE over the requested term, scaled
    # down by grade, capped by the binding, rounded down to hundreds.
    affordable = max(0.0, MAX_DEBT_SHARE * total_income - debt)
    limit = present_value(affordable, term, config["annual_rate"]) * GRADE_LIMIT_SHARE[grade]
    limit = math.floor(min(limit, config["max_limit"]) / 100) * 100
    suggested = f"{limit:.2f}" if limit >= MIN_LIMIT else ""

    reasons.sort(key=lambda r: (r["points"], r["code"]))
    return {
        "score": score,
        "probability_of_default": probability_of_default(score),
        "grade": grade,
        "suggested_limit": suggested,
        "currency": CURRENCY,
        "reasons": reasons,
        "model_version": MODEL_VERSION,
    }


# ---------------------------------------------------------------------------------------
# gRPC services.


class PluginService:
    """credo.plugin.v1.Plugin."""

    def Describe(self, request, context):
        return pb.DescribeResponse(
            name=NAME,
            version=VERSION,
            kinds=[pb.KIND_SCORER],
            config_schema=json.dumps(CONFIG_SCHEMA, separators=(",", ":")).encode(),
            reads=READS,
            description=DESCRIPTION,
        )


class ScorerService:
    """credo.plugin.v1.Scorer."""

    def Score(self, request, context):
        if not request.HasField("call"):
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "request carries no call")
        call = request.call
        try:
            result = score_record(parse_record(call.record), parse_config(call.config))
        except BadInput as err:
            # The record's fault, not the plugin's: INVALID_ARGUMENT keeps the host from
            # counting it against the plugin's health.
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"bad input: {err}")
        except Exception as err:  # noqa: BLE001 - one bad record must not end the plugin
            # Log identifiers only, never applicant data.
            log("ERROR", "score failed", call_id=call.call_id, tenant=call.tenant,
                error=f"{type(err).__name__}: {err}")
            context.abort(grpc.StatusCode.INTERNAL, f"scorer failed: {type(err).__name__}")
        return pb.ScoreResponse(
            score=result["score"],
            probability_of_default=result["probability_of_default"],
            grade=result["grade"],
            suggested_limit=result["suggested_limit"],
            currency=result["currency"],
            reasons=[pb.Reason(code=r["code"], text=r["text"], points=r["points"]) for r in result["reasons"]],
            model_version=result["model_version"],
        )


class HealthService:
    """grpc.health.v1.Health, answering for the whole server ("") and for "plugin"."""

    def __init__(self):
        self.serving = True

    def Check(self, request, context):
        if request.service not in ("", HEALTH_SERVICE):
            context.abort(grpc.StatusCode.NOT_FOUND, f"unknown service {request.service!r}")
        status = health_pb2.HealthCheckResponse.SERVING if self.serving else health_pb2.HealthCheckResponse.NOT_SERVING
        return health_pb2.HealthCheckResponse(status=status)


def controller_handler(shutdown):
    """go-plugin's plugin.GRPCController: the host calls Shutdown when it kills a plugin.

    Its Empty message is wire-identical to google.protobuf.Empty, so no generated code
    is needed. Without this service the host waits two seconds and then kills the process.
    """

    def Shutdown(request, context):
        shutdown("host asked to shut down")
        return empty_pb2.Empty()

    return grpc.method_handlers_generic_handler("plugin.GRPCController", {
        "Shutdown": grpc.unary_unary_rpc_method_handler(
            Shutdown,
            request_deserializer=empty_pb2.Empty.FromString,
            response_serializer=empty_pb2.Empty.SerializeToString,
        ),
    })


# ---------------------------------------------------------------------------------------
# AutoMTLS.


def server_certificate():
    """A fresh self-signed ECDSA P-256 certificate for localhost/127.0.0.1.

    Returns (certificate PEM, private key PEM, certificate DER).
    """
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Credo plugin " + NAME),
    ])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        # A little slack for clock differences; the certificate lives as long as the
        # process, which may be years, and a new process makes a new one.
        .not_valid_before(now - datetime.timedelta(seconds=30))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        ]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False,
        ), critical=True)
        # Client auth too: go-plugin's broker reverses the roles when a plugin dials the host.
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM), key_pem, cert.public_bytes(serialization.Encoding.DER)


def mtls_credentials(client_cert_pem):
    """Server credentials that require the host's certificate, and the handshake field.

    The field is go-plugin's: the DER certificate in base64 without padding (Go's
    RawStdEncoding), which the host pins as the only root it trusts.
    """
    try:
        x509.load_pem_x509_certificate(client_cert_pem.encode())
    except ValueError as err:
        raise StartupError(f"PLUGIN_CLIENT_CERT is not a PEM certificate: {err}") from None
    cert_pem, key_pem, der = server_certificate()
    creds = grpc.ssl_server_credentials(
        [(key_pem, cert_pem)],
        root_certificates=client_cert_pem.encode(),
        require_client_auth=True,
    )
    return creds, base64.b64encode(der).decode().rstrip("=")


# ---------------------------------------------------------------------------------------
# Serving.


class StartupError(Exception):
    """The plugin cannot start; main prints the message and exits 1."""


_log_lock = threading.Lock()


def log(level, message, **fields):
    """Writes one JSON line to stderr with go-plugin's keys, which the host re-logs at
    the given level under the plugin's name."""
    entry = {
        "@level": level.lower(),
        "@message": message,
        "@timestamp": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    }
    entry.update(fields)
    line = json.dumps(entry, ensure_ascii=False)
    with _log_lock:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


def check_environment(env):
    """Refuses to run unless started by a Credo host speaking protocol 1."""
    if env.get(MAGIC_COOKIE_KEY) != MAGIC_COOKIE_VALUE:
        raise StartupError(
            f"{NAME} {VERSION} is a Credo plugin: the Credo host starts it, with its manifest, "
            f"from CREDO_PLUGIN_DIR. Running it by hand does nothing.")
    if _IMPORT_ERROR is not None:
        raise StartupError(
            f"{NAME} needs Debian's python3-grpcio, python3-protobuf and python3-cryptography "
            f"under /usr/bin/python3: {_IMPORT_ERROR}")
    offered = env.get("PLUGIN_PROTOCOL_VERSIONS", "")
    if offered and str(APP_PROTOCOL_VERSION) not in [v.strip() for v in offered.split(",")]:
        raise StartupError(
            f"{NAME} speaks Credo plugin protocol {APP_PROTOCOL_VERSION}; the host offers {offered}")


def serve(env):
    check_environment(env)
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="rpc"),
        # Without this a second process could bind the same port.
        options=[("grpc.so_reuseport", 0)],
    )
    health = HealthService()
    stopping = threading.Event()

    def shutdown(why):
        if stopping.is_set():
            return
        stopping.set()
        health.serving = False
        log("INFO", "stopping", reason=why)
        # From a thread: the Shutdown call itself must still get its answer.
        threading.Thread(target=server.stop, args=(SHUTDOWN_GRACE,), daemon=True).start()

    pb_grpc.add_PluginServicer_to_server(PluginService(), server)
    pb_grpc.add_ScorerServicer_to_server(ScorerService(), server)
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    server.add_generic_rpc_handlers((controller_handler(shutdown),))

    client_cert = env.get("PLUGIN_CLIENT_CERT", "")
    try:
        if client_cert:
            creds, cert_field = mtls_credentials(client_cert)
            port = server.add_secure_port("127.0.0.1:0", creds)
        else:
            log("WARN", "PLUGIN_CLIENT_CERT not set: serving without TLS; Credo hosts always use AutoMTLS")
            cert_field = None
            port = server.add_insecure_port("127.0.0.1:0")
    except RuntimeError as err:
        raise StartupError(f"listen on 127.0.0.1: {err}") from None
    if not port:
        raise StartupError("listen on 127.0.0.1: no port")
    server.start()

    fields = [str(CORE_PROTOCOL_VERSION), str(APP_PROTOCOL_VERSION), "tcp", f"127.0.0.1:{port}", "grpc"]
    if cert_field is not None or env.get("PLUGIN_MULTIPLEX_GRPC"):
        fields.append(cert_field or "")
    if env.get("PLUGIN_MULTIPLEX_GRPC"):
        # The host asked whether we multiplex go-plugin's broker over one connection; we
        # serve no broker at all, so say no rather than leave it guessing.
        fields.append("false")
    sys.stdout.write("|".join(fields) + "\n")
    sys.stdout.flush()
    log("INFO", "serving", address=f"127.0.0.1:{port}", tls=cert_field is not None, model_version=MODEL_VERSION)

    # Like go-plugin's Go servers, ignore Ctrl-C: it reaches the whole process group and
    # the host stops its plugins itself. SIGTERM stops the plugin gracefully.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, frame: shutdown("SIGTERM"))
    server.wait_for_termination()
    log("INFO", "stopped")


def main():
    try:
        serve(os.environ)
    except StartupError as err:
        sys.stderr.write(f"{NAME}: {err}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
