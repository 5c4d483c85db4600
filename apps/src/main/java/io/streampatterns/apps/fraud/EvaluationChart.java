package io.streampatterns.apps.fraud;

import io.delta.tables.DeltaTable;
import io.streampatterns.core.ConfigException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws the prequential AUC per evaluation window (champion and challenger) over the labels seen, with the drift
 * detections as vertical lines and the promotions as dots, from the {@code evaluation} and {@code drift} tables: a PNG
 * made by the project itself (Java2D, no plotting library).
 */
final class EvaluationChart {
    private static final int W = 900;
    private static final int H = 420;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    private EvaluationChart() {
    }

    static void write(SparkSession spark, FraudOptions o, Path png) {
        ConfigException.check(DeltaTable.isDeltaTable(spark, o.table("evaluation")), "no evaluation table in " + o.output
                + " yet (it gets a row per closed evaluation window)");
        List<Row> eval = spark.read().format("delta").load(o.table("evaluation")).orderBy("labels_so_far").collectAsList();
        List<Long> drifts = new ArrayList<>();
        if (DeltaTable.isDeltaTable(spark, o.table("drift"))) {
            spark.read().format("delta").load(o.table("drift")).select("labels_so_far").collectAsList()
                    .forEach(r -> drifts.add(r.getLong(0)));
        }
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        long maxX = Math.max(1, eval.isEmpty() ? 1 : eval.get(eval.size() - 1).<Long>getAs("labels_so_far"));
        axes(g, maxX);
        g.setColor(new Color(200, 40, 40));
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        for (long d : drifts) {
            g.drawLine(x(d, maxX), TOP, x(d, maxX), H - BOTTOM);
        }
        line(g, eval, "challenger_auc", maxX, new Color(230, 140, 30));
        line(g, eval, "auc", maxX, new Color(30, 90, 200));
        g.setColor(new Color(20, 150, 60));
        for (Row r : eval) {
            if (r.<Boolean>getAs("promoted")) {
                g.fillOval(x(r.<Long>getAs("labels_so_far"), maxX) - 5, y(r.<Double>getAs("auc")) - 5, 10, 10);
            }
        }
        legend(g);
        g.dispose();
        try {
            ImageIO.write(img, "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }

    private static void axes(Graphics2D g, long maxX) {
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawLine(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM);
        g.drawLine(LEFT, TOP, LEFT, H - BOTTOM);
        for (int i = 0; i <= 10; i++) {
            double auc = i / 10.0;
            g.setColor(new Color(230, 230, 230));
            g.drawLine(LEFT + 1, y(auc), W - RIGHT, y(auc));
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%.1f", auc), LEFT - 30, y(auc) + 4);
        }
        for (int i = 0; i <= 5; i++) {
            long v = maxX * i / 5;
            g.drawString(String.valueOf(v), x(v, maxX) - 15, H - BOTTOM + 18);
        }
        g.drawString("labels seen (prequential: each window scored before its labels were learnt)", LEFT + 150, H - 12);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("Prequential AUC per evaluation window", LEFT, 24);
    }

    private static void line(Graphics2D g, List<Row> eval, String column, long maxX, Color color) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2f));
        int px = -1;
        int py = -1;
        for (Row r : eval) {
            if (r.isNullAt(r.fieldIndex(column))) {
                px = -1;
                continue;
            }
            int cx = x(r.<Long>getAs("labels_so_far"), maxX);
            int cy = y(r.<Double>getAs(column));
            if (px >= 0) {
                g.drawLine(px, py, cx, cy);
            }
            px = cx;
            py = cy;
        }
    }

    private static void legend(Graphics2D g) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int lx = W - RIGHT - 330;
        Object[][] items = {{"champion AUC", new Color(30, 90, 200)}, {"challenger AUC", new Color(230, 140, 30)},
                {"drift detected", new Color(200, 40, 40)}, {"promotion", new Color(20, 150, 60)}};
        for (int i = 0; i < items.length; i++) {
            g.setColor((Color) items[i][1]);
            g.fillRect(lx + (i % 2) * 160, 10 + (i / 2) * 16, 12, 10);
            g.setColor(Color.DARK_GRAY);
            g.drawString((String) items[i][0], lx + 16 + (i % 2) * 160, 20 + (i / 2) * 16);
        }
    }

    private static int x(long labels, long maxX) {
        return LEFT + (int) ((W - LEFT - RIGHT) * (double) labels / maxX);
    }

    private static int y(double auc) {
        return H - BOTTOM - (int) ((H - TOP - BOTTOM) * auc);
    }
}
