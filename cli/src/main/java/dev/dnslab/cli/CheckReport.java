package dev.dnslab.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnslab.core.scenario.CheckOutcome;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The result of one {@code dnslab check} run: a scenario's checks against one resolver, as JUnit
 * XML (the {@code testsuite} format CI servers read) and as one line of JSON (what the gathering
 * one-liner in deploy/kubernetes/README.md collects from the pods' logs).
 *
 * @param scenario the scenario's name
 * @param resolver the resolver's label, e.g. {@code unbound}
 * @param address where it was asked, {@code 127.0.0.1:53}
 * @param outcomes one per check, in the scenario's order
 */
record CheckReport(String scenario, String resolver, String address, List<CheckOutcome> outcomes) {
  /** The JSON document's first member, so a log line can be told apart from the resolver's logging. */
  static final String JSON_MARKER = "{\"report\":\"dnslab-check\"";

  private static final ObjectMapper JSON = new ObjectMapper();

  CheckReport {
    requireNonNull(scenario, "scenario");
    requireNonNull(resolver, "resolver");
    requireNonNull(address, "address");
    outcomes = List.copyOf(requireNonNull(outcomes, "outcomes"));
  }

  /** Whether every check reached the correct outcome. */
  boolean passed() {
    return outcomes.stream().allMatch(CheckOutcome::passed);
  }

  long failures() {
    return outcomes.stream().filter(o -> !o.passed()).count();
  }

  /** The file name both reports share: {@code TEST-dnslab-truncate-unbound}. */
  String baseName() {
    return "TEST-dnslab-" + scenario + "-" + resolver.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /** One line of JSON starting with {@link #JSON_MARKER}. */
  String json() {
    var root = JSON.createObjectNode();
    root.put("report", "dnslab-check");
    root.put("scenario", scenario);
    root.put("resolver", resolver);
    root.put("address", address);
    root.put("passed", passed());
    root.put("tests", outcomes.size());
    root.put("failures", failures());
    var checks = root.putArray("checks");
    for (CheckOutcome outcome : outcomes) {
      var check = checks.addObject();
      check.put("question", outcome.question());
      check.put("expected", outcome.expected());
      check.put("got", outcome.got());
      check.put("millis", outcome.millis());
      check.put("passed", outcome.passed());
      outcome.problems().forEach(check.putArray("problems")::add);
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the JSON report", e);
    }
  }

  /** A JUnit {@code testsuite}: one {@code testcase} per check, a {@code failure} for each wrong outcome. */
  String junitXml() {
    try {
      Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
      Element suite = document.createElement("testsuite");
      suite.setAttribute("name", "dnslab." + scenario + "." + resolver);
      suite.setAttribute("tests", String.valueOf(outcomes.size()));
      suite.setAttribute("failures", String.valueOf(failures()));
      suite.setAttribute("errors", "0");
      suite.setAttribute("skipped", "0");
      suite.setAttribute("time", seconds(outcomes.stream().mapToLong(CheckOutcome::millis).sum()));
      document.appendChild(suite);
      Element properties = document.createElement("properties");
      properties.appendChild(property(document, "resolver.address", address));
      suite.appendChild(properties);
      for (CheckOutcome outcome : outcomes) {
        Element testcase = document.createElement("testcase");
        testcase.setAttribute("classname", "dnslab." + scenario);
        testcase.setAttribute("name", outcome.question());
        testcase.setAttribute("time", seconds(outcome.millis()));
        if (!outcome.passed()) {
          Element failure = document.createElement("failure");
          failure.setAttribute("message", String.join("; ", outcome.problems()));
          failure.setAttribute("type", "dnslab.check");
          failure.setTextContent("expected " + outcome.expected() + "\ngot " + outcome.got() + "\n" + outcome.failure());
          testcase.appendChild(failure);
        }
        Element out = document.createElement("system-out");
        out.setTextContent("expected " + outcome.expected() + "; got " + outcome.got());
        testcase.appendChild(out);
        suite.appendChild(testcase);
      }
      var transformer = TransformerFactory.newInstance().newTransformer();
      transformer.setOutputProperty(OutputKeys.INDENT, "yes");
      transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
      StringWriter text = new StringWriter();
      transformer.transform(new DOMSource(document), new StreamResult(text));
      return text.toString();
    } catch (ParserConfigurationException | TransformerException e) {
      throw new IllegalStateException("cannot write the JUnit report", e);
    }
  }

  private static Element property(Document document, String name, String value) {
    Element property = document.createElement("property");
    property.setAttribute("name", name);
    property.setAttribute("value", value);
    return property;
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
  }
}
