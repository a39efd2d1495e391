/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A tiny client of the online service, used by bin/quickstart: posts a few /get-online-features
 * requests for the rides example and prints each answer as a table. Run it with Java's source-file
 * mode and Jackson on the class path:
 *
 * <pre>
 * java -cp 'feature-registry/target/lib/*' examples/rides/OnlineLookups.java http://127.0.0.1:6566
 * </pre>
 */
public class OnlineLookups {
  static final ObjectMapper JSON = new ObjectMapper();

  static final String[][] REQUESTS = {
    {
      "Drivers 1001 (fresh, its newest hour corrected), 1002 (no hourly row for 2.5h, TTL 2h),"
          + " 9999 (no data)",
      "{\"features\": [\"driver_hourly_stats:conv_rate\", \"driver_hourly_stats:acc_rate\","
          + " \"driver_daily:rating\"], \"entities\": {\"driver_id\": [1001, 1002, 9999]}}"
    },
    {
      "Aggregated view driver_trips, computed as of now from its hourly tiles: 1001 (a trip 10"
          + " minutes before the data ends), 1002 (no trip for 3h: its 1h windows are empty),"
          + " 9999 (no trips)",
      "{\"features\": [\"driver_trips:*\"], \"entities\": {\"driver_id\": [1001, 1002, 9999]}}"
    },
    {
      "The feature service driver_ranking for driver 1001 and customer 42",
      "{\"feature_service\": \"driver_ranking\","
          + " \"entities\": {\"driver_id\": [1001], \"customer_id\": [42]}}"
    }
  };

  public static void main(String[] args) throws Exception {
    String base = args.length > 0 ? args[0] : "http://127.0.0.1:6566";
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (String[] request : REQUESTS) {
      System.out.println("# " + request[0]);
      System.out.println(
          "$ curl -s -X POST " + base + "/get-online-features -d '" + request[1] + "'");
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/get-online-features"))
                  .header("Content-Type", "application/json")
                  .timeout(Duration.ofSeconds(10))
                  .POST(HttpRequest.BodyPublishers.ofString(request[1]))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        System.err.println("HTTP " + response.statusCode() + ": " + response.body());
        System.exit(1);
      }
      printTable(JSON.readTree(response.body()));
      System.out.println();
    }
  }

  /** One line per (entity row, feature): Feast answers column by column. */
  static void printTable(JsonNode answer) {
    JsonNode names = answer.path("metadata").path("feature_names");
    JsonNode results = answer.path("results");
    int keys = 0;
    while (keys < results.size() && isKey(names.get(keys).asText())) {
      keys++;
    }
    String format = "  %-30s %-20s %-16s %-21s %s%n";
    System.out.printf(format, "ENTITY", "FEATURE", "STATUS", "EVENT TIMESTAMP", "VALUE");
    int rows = results.get(0).path("values").size();
    for (int row = 0; row < rows; row++) {
      StringBuilder entity = new StringBuilder();
      for (int k = 0; k < keys; k++) {
        entity.append(k == 0 ? "" : ",").append(names.get(k).asText()).append('=');
        entity.append(results.get(k).path("values").get(row).asText());
      }
      for (int f = keys; f < results.size(); f++) {
        JsonNode column = results.get(f);
        System.out.printf(
            format,
            entity,
            names.get(f).asText(),
            column.path("statuses").get(row).asText(),
            column.path("event_timestamps").get(row).asText(),
            text(column.path("values").get(row)));
      }
    }
  }

  /** A value as JSON, floating point numbers shortened to 6 significant digits. */
  static String text(JsonNode value) {
    if (value.isFloatingPointNumber()) {
      return new java.math.BigDecimal(value.asText())
          .round(new java.math.MathContext(6))
          .stripTrailingZeros()
          .toPlainString();
    }
    if (value.isArray()) {
      java.util.List<String> elements = new java.util.ArrayList<>();
      value.forEach(element -> elements.add(text(element)));
      return "[" + String.join(", ", elements) + "]";
    }
    return value.toString();
  }

  static boolean isKey(String name) {
    return name.equals("driver_id") || name.equals("customer_id");
  }
}
