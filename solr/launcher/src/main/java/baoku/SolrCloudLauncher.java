package baoku;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Starts NODES Solr nodes with an embedded ZooKeeper on 127.0.0.1, uploads the configset,
 * creates COLLECTION with one shard and a replica on every node, prints one line
 * {@code READY <url> <url> ...} and then obeys lines on standard input:
 * {@code stop N} stops node N (a node dying mid-run), {@code start N} starts it again,
 * {@code urls} prints the live nodes' URLs, {@code quit} (or the end of input) shuts down.
 * Every answer is one line, so a test can drive it through a pipe.
 */
public final class SolrCloudLauncher {
  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: SolrCloudLauncher BASE_DIR CONFIGSET_DIR COLLECTION [NODES]");
      System.exit(2);
    }
    Path base = Path.of(args[0]);
    Path configset = Path.of(args[1]);
    String collection = args[2];
    int nodes = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    Files.createDirectories(base);
    // Standard output is the protocol; Solr's and ZooKeeper's console logging goes to
    // standard error (they take System.out when their loggers start, i.e. after this).
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);

    MiniSolrCloudCluster cluster =
        new MiniSolrCloudCluster.Builder(nodes, base).addConfig(collection, configset).configure();
    try {
      CollectionAdminRequest.createCollection(collection, collection, 1, nodes)
          .process(cluster.getSolrClient());
      cluster.waitForActiveCollection(collection, 1, nodes);
      out.println("READY " + urls(cluster));

      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      List<JettySolrRunner> stopped = new ArrayList<>(cluster.getJettySolrRunners());
      for (String line; (line = in.readLine()) != null; ) {
        String[] cmd = line.trim().split("\\s+");
        try {
          switch (cmd[0]) {
            case "stop" -> {
              JettySolrRunner node = stopped.get(Integer.parseInt(cmd[1]));
              cluster.stopJettySolrRunner(node);
              cluster.waitForJettyToStop(node);
              out.println("STOPPED " + cmd[1]);
            }
            case "start" -> {
              JettySolrRunner node = stopped.get(Integer.parseInt(cmd[1]));
              cluster.startJettySolrRunner(node, true);
              cluster.waitForActiveCollection(collection, 1, nodes);
              out.println("STARTED " + cmd[1]);
            }
            case "urls" -> out.println("URLS " + urls(cluster));
            case "quit" -> {
              return;
            }
            default -> out.println("ERROR unknown command " + cmd[0]);
          }
        } catch (Exception e) {
          out.println("ERROR " + e);
        }
        }
    } finally {
      cluster.shutdown();
    }
  }

  private static String urls(MiniSolrCloudCluster cluster) {
    List<String> out = new ArrayList<>();
    for (JettySolrRunner node : cluster.getJettySolrRunners()) {
      if (node.isRunning()) {
        out.add(node.getBaseUrl().toString());
      }
    }
    return String.join(" ", out);
  }
}
