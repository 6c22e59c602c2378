"""Unit tests of python-scorer's model and certificate, without gRPC.

Run with: /usr/bin/python3 -sEB -m unittest -v test_plugin   (go test runs them too)
"""

import base64
import datetime
import ipaddress
import json
import unittest

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

import plugin

TODAY = datetime.date(2025, 6, 15)


def record(**changes):
    rec = {
        "monthly_income": 12000,
        "monthly_debt": 2000,
        "amount": 60000,
        "term_months": 36,
        "years_employed": 2,
        "birth_date": "1995-01-01",
        "housing_status": "family",
        "existing_loans_count": 1,
    }
    rec.update(changes)
    return {k: v for k, v in rec.items() if v is not None}


def score(rec, **config):
    return plugin.score_record(rec, plugin.parse_config(json.dumps(config).encode() if config else b""), TODAY)


class AgeTest(unittest.TestCase):
    def test_birthday_boundaries(self):
        self.assertEqual(plugin.age_on("2000-06-15", TODAY), 25)
        self.assertEqual(plugin.age_on("2000-06-16", TODAY), 24)
        self.assertEqual(plugin.age_on("2025-06-15", TODAY), 0)

    def test_leap_day_birthday_counts_from_first_of_march(self):
        self.assertEqual(plugin.age_on("2004-02-29", datetime.date(2022, 2, 28)), 17)
        self.assertEqual(plugin.age_on("2004-02-29", datetime.date(2022, 3, 1)), 18)

    def test_rejects(self):
        for bad in ("2026-01-01", "2001-02-30", "01/02/2001", "20010102", 19900101):
            with self.subTest(bad=bad), self.assertRaises(plugin.BadInput):
                plugin.age_on(bad, TODAY)


class MoneyTest(unittest.TestCase):
    def test_payment_and_present_value_are_inverse(self):
        for rate in (0.0, 0.06, 0.24):
            pay = plugin.monthly_payment(50000, 24, rate)
            self.assertAlmostEqual(plugin.present_value(pay, 24, rate), 50000, places=6)

    def test_payment_includes_interest(self):
        self.assertAlmostEqual(plugin.monthly_payment(12000, 12, 0.0), 1000)
        self.assertGreater(plugin.monthly_payment(12000, 12, 0.12), 1000)


class ScaleTest(unittest.TestCase):
    def test_probability_of_default_scaling(self):
        self.assertAlmostEqual(plugin.probability_of_default(600), 1 / 21)
        # 40 points double the good:bad odds.
        odds = lambda s: (1 - plugin.probability_of_default(s)) / plugin.probability_of_default(s)
        self.assertAlmostEqual(odds(640) / odds(600), 2.0)
        self.assertAlmostEqual(odds(560) / odds(600), 0.5)

    def test_grades(self):
        for s, g in ((850, "S"), (720, "S"), (719, "A"), (660, "A"), (600, "B"), (540, "C"), (539, "D"), (300, "D")):
            self.assertEqual(plugin.grade_of(s), g, s)


class ScoreTest(unittest.TestCase):
    def test_reasons_explain_the_score(self):
        got = score(record())
        self.assertEqual(got["score"], plugin.BASE_POINTS + sum(r["points"] for r in got["reasons"]))
        self.assertEqual([r["points"] for r in got["reasons"]], sorted(r["points"] for r in got["reasons"]))
        for r in got["reasons"]:
            self.assertEqual(set(r["text"]), {"en", "zh-CN"})

    def test_score_is_clamped(self):
        got = score(record(monthly_income=0, birth_date="2010-01-01", years_employed=0.1,
                           housing_status="other", existing_loans_count=9))
        self.assertEqual(got["score"], plugin.SCORE_MIN)
        self.assertEqual(got["grade"], "D")
        self.assertEqual(got["suggested_limit"], "")
        self.assertEqual(got["reasons"][0]["code"], "age_minor")

    def test_optional_fields_may_be_absent(self):
        got = score(record(years_employed=None, housing_status=None, existing_loans_count=None))
        self.assertIn("employment_unknown", [r["code"] for r in got["reasons"]])

    def test_other_income_counts(self):
        self.assertGreater(score(record(other_income=10000))["score"], score(record())["score"])
        self.assertGreater(float(score(record(other_income=2000))["suggested_limit"]), 102300)

    def test_longer_term_lowers_the_instalment(self):
        short = score(record(term_months=6))
        long = score(record(term_months=36))
        self.assertGreater(long["score"], short["score"])

    def test_limit_respects_config_and_rounds_down(self):
        got = score(record())
        self.assertEqual(got["suggested_limit"], "102300.00")
        self.assertEqual(score(record(), max_limit=50050)["suggested_limit"], "50000.00")
        # A higher rate means the same instalment repays less principal.
        self.assertLess(float(score(record(), annual_rate=0.3)["suggested_limit"]), 102300)

    def test_no_limit_when_debts_use_the_allowance(self):
        self.assertEqual(score(record(monthly_debt=6000))["suggested_limit"], "")

    def test_bad_records(self):
        for rec in (record(monthly_income=None), record(amount=0), record(amount=float("nan")),
                    record(term_months=0), record(monthly_debt="lots"), record(existing_loans_count=-1)):
            with self.subTest(rec=rec), self.assertRaises(plugin.BadInput):
                score(rec)

    def test_config(self):
        self.assertEqual(plugin.parse_config(b""), {"max_limit": plugin.DEFAULT_MAX_LIMIT,
                                                    "annual_rate": plugin.DEFAULT_ANNUAL_RATE})
        for raw in (b'{"annual_rate": 2}', b'{"max_limit": -1}', b'{"x": 1}', b"[]", b'{"max_limit": NaN}'):
            with self.subTest(raw=raw), self.assertRaises(plugin.BadInput):
                plugin.parse_config(raw)


class CertificateTest(unittest.TestCase):
    def test_server_certificate(self):
        cert_pem, key_pem, der = plugin.server_certificate()
        cert = x509.load_der_x509_certificate(der)
        self.assertEqual(cert, x509.load_pem_x509_certificate(cert_pem))
        self.assertEqual(cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value, "localhost")
        self.assertIsInstance(cert.public_key().curve, ec.SECP256R1)
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        self.assertEqual(san.get_values_for_type(x509.DNSName), ["localhost"])
        self.assertEqual(san.get_values_for_type(x509.IPAddress), [ipaddress.ip_address("127.0.0.1")])
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        self.assertIn(ExtendedKeyUsageOID.SERVER_AUTH, eku)
        self.assertIn(b"PRIVATE KEY", key_pem)

    def test_handshake_field_is_unpadded_base64_of_der(self):
        host_pem, _, _ = plugin.server_certificate()  # stands in for the host's certificate
        _, field = plugin.mtls_credentials(host_pem.decode())
        self.assertNotIn("=", field)
        self.assertGreater(len(field), 50)  # go-plugin ignores a shorter sixth field
        der = base64.b64decode(field + "=" * (-len(field) % 4))
        x509.load_der_x509_certificate(der)

    def test_rejects_garbage_client_certificate(self):
        with self.assertRaises(plugin.StartupError):
            plugin.mtls_credentials("not a certificate")


class EnvironmentTest(unittest.TestCase):
    def test_cookie_and_protocol(self):
        good = {plugin.MAGIC_COOKIE_KEY: plugin.MAGIC_COOKIE_VALUE}
        plugin.check_environment(good)
        plugin.check_environment(dict(good, PLUGIN_PROTOCOL_VERSIONS="1,2"))
        for env in ({}, {plugin.MAGIC_COOKIE_KEY: "other"}, dict(good, PLUGIN_PROTOCOL_VERSIONS="2")):
            with self.subTest(env=env), self.assertRaises(plugin.StartupError):
                plugin.check_environment(env)


if __name__ == "__main__":
    unittest.main()
