package io.stagetune.localstack.deploy;

import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.LinkReferenceDefinition;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Documents stay reachable: every relative link in the repository's Markdown resolves to a file or folder (and its
 * {@code #anchor} to a heading of the target, as GitHub names headings), and every Markdown file name that Markdown,
 * code, build files, scripts or configuration mention exists. A mentioned path counts as found relative to the
 * mentioning file's folder or any folder above it up to the repository root, so a module's manual named bare in the
 * module's code and named with its module's folder in a root document both resolve. A path after a shell variable
 * ({@code $work/x}) is a file made at run time, not a document, and is not checked.
 */
class DocumentLinksTest {

    /** Files whose text may mention a document; Markdown files are checked for mentions too. */
    private static final Pattern CITING_FILE =
            Pattern.compile(".*\\.(md|java|sh|py|ya?ml|properties|xml)|pipeline|\\.ci/run");
    private static final Pattern DOCUMENT_MENTION =
            Pattern.compile("(?<![A-Za-z0-9_./:${}-])[A-Za-z0-9_./-]*[A-Za-z0-9_-]\\.md(?![A-Za-z0-9_])");
    private static final Pattern URL_SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:.*|//.*");
    private static final Parser MARKDOWN = Parser.builder().extensions(List.of(TablesExtension.create()))
            .includeSourceSpans(IncludeSourceSpans.BLOCKS).build();

    private final Path root = DeployTools.root();
    private final Map<Path, Set<String>> anchors = new HashMap<>();
    private final Map<Path, String> texts = new HashMap<>();

    @Test
    void everyRelativeMarkdownLinkResolves() {
        List<Path> documents = repositoryFiles().stream().filter(path -> path.toString().endsWith(".md")).toList();
        assertThat(documents).contains(Path.of("README.md"), Path.of("docs/README.md"));
        List<String> broken = new ArrayList<>();
        for (Path document : documents) {
            for (Target link : links(document)) {
                String problem = problem(document, link.destination());
                if (problem != null) {
                    broken.add(document + ":" + link.line() + ": (" + link.destination() + ") " + problem);
                }
            }
        }
        assertThat(broken).as("relative links that do not resolve").isEmpty();
    }

    @Test
    void everyDocumentThatFilesMentionExists() {
        List<String> missing = new ArrayList<>();
        for (Path file : repositoryFiles()) {
            if (!CITING_FILE.matcher(file.toString()).matches()) {
                continue;
            }
            if (!read(file).contains(".md")) {
                continue;
            }
            for (Target text : file.toString().endsWith(".md") ? prose(file) : lines(file)) {
                Matcher mention = DOCUMENT_MENTION.matcher(text.destination());
                while (mention.find()) {
                    if (!mentionResolves(file, mention.group())) {
                        missing.add(file + ":" + text.line() + ": " + mention.group());
                    }
                }
            }
        }
        assertThat(missing).as("documents mentioned that are not in the repository").isEmpty();
    }

    @Test
    void anchorsAreNamedAsGitHubNamesHeadings() {
        assertThat(slug("Scaling: trainers, `evaluator` & ingest (replicas)"))
                .isEqualTo("scaling-trainers-evaluator--ingest-replicas");
        assertThat(slug("Leases and fencing")).isEqualTo("leases-and-fencing");
    }

    private String problem(Path document, String destination) {
        if (destination.isEmpty() || URL_SCHEME.matcher(destination).matches()) {
            return null;
        }
        int hash = destination.indexOf('#');
        String path = URLDecoder.decode(hash < 0 ? destination : destination.substring(0, hash),
                StandardCharsets.UTF_8);
        String anchor = hash < 0 ? null : destination.substring(hash + 1);
        Path target = path.isEmpty() ? document : root.relativize(
                root.resolve(document).getParent().resolve(path).normalize());
        if (target.startsWith("..") || !Files.exists(root.resolve(target))) {
            return "no such file";
        }
        if (anchor == null || !target.toString().endsWith(".md")) {
            return null;
        }
        return anchorsOf(target).contains(anchor) ? null : "no heading with anchor #" + anchor + " in " + target;
    }

    private boolean mentionResolves(Path file, String mention) {
        String path = mention.startsWith("./") ? mention.substring(2) : mention;
        for (Path dir = root.resolve(file).getParent(); dir != null && dir.startsWith(root); dir = dir.getParent()) {
            if (Files.exists(dir.resolve(path))) {
                return true;
            }
        }
        return false;
    }

    /** A link's destination, or a piece of text, and the line it is on. */
    record Target(String destination, int line) {
    }

    /** Destinations of the document's links, images and link reference definitions, with the line of their block. */
    private List<Target> links(Path document) {
        List<Target> links = new ArrayList<>();
        MARKDOWN.parse(read(document)).accept(new AbstractVisitor() {
            @Override
            public void visit(Link link) {
                links.add(new Target(link.getDestination(), line(link)));
                visitChildren(link);
            }

            @Override
            public void visit(Image image) {
                links.add(new Target(image.getDestination(), line(image)));
            }

            @Override
            public void visit(LinkReferenceDefinition definition) {
                links.add(new Target(definition.getDestination(), line(definition)));
            }
        });
        return links;
    }

    /** Each line of a file, with its number. */
    private List<Target> lines(Path file) {
        List<String> lines = read(file).lines().toList();
        List<Target> numbered = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            numbered.add(new Target(lines.get(i), i + 1));
        }
        return numbered;
    }

    /** A Markdown file's text and code outside links (links are checked as links), with the line of their block. */
    private List<Target> prose(Path document) {
        List<Target> texts = new ArrayList<>();
        MARKDOWN.parse(read(document)).accept(new AbstractVisitor() {
            @Override
            public void visit(Link link) {
            }

            @Override
            public void visit(Text text) {
                texts.add(new Target(text.getLiteral(), line(text)));
            }

            @Override
            public void visit(Code code) {
                texts.add(new Target(code.getLiteral(), line(code)));
            }

            @Override
            public void visit(FencedCodeBlock block) {
                texts.add(new Target(block.getLiteral(), line(block)));
            }
        });
        return texts;
    }

    /** The line of the block a node is in (1-based). */
    private static int line(Node node) {
        for (Node block = node; block != null; block = block.getParent()) {
            if (!block.getSourceSpans().isEmpty()) {
                return block.getSourceSpans().get(0).getLineIndex() + 1;
            }
        }
        return 0;
    }

    private Set<String> anchorsOf(Path document) {
        return anchors.computeIfAbsent(document, path -> {
            Set<String> names = new LinkedHashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            MARKDOWN.parse(read(path)).accept(new AbstractVisitor() {
                @Override
                public void visit(Heading heading) {
                    String name = slug(text(heading));
                    int count = seen.merge(name, 1, Integer::sum);
                    names.add(count == 1 ? name : name + "-" + (count - 1));
                }
            });
            return names;
        });
    }

    private static String text(Node node) {
        StringBuilder text = new StringBuilder();
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(Text leaf) {
                text.append(leaf.getLiteral());
            }

            @Override
            public void visit(Code code) {
                text.append(code.getLiteral());
            }
        });
        return text.toString();
    }

    /** GitHub's anchor of a heading: lower case, punctuation dropped, each space a hyphen. */
    static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{Mn} _-]", "").replace(' ', '-');
    }

    /** Tracked files and new ones git does not ignore, as paths relative to the root; a walk where git is absent. */
    private List<Path> repositoryFiles() {
        try {
            Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                    .directory(root.toFile()).redirectErrorStream(false).start();
            byte[] output = git.getInputStream().readAllBytes();
            if (git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0) {
                return Stream.of(new String(output, StandardCharsets.UTF_8).split("\0"))
                        .filter(name -> !name.isEmpty()).map(Path::of)
                        .filter(path -> Files.isRegularFile(root.resolve(path))).toList();
            }
        } catch (IOException e) {
            // no git: walk the tree below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(root::relativize)
                    .filter(path -> Stream.iterate(path, p -> p != null, Path::getParent)
                            .map(p -> p.getFileName().toString())
                            .noneMatch(name -> name.equals("target") || name.startsWith(".") && !name.equals(".ci")))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String read(Path file) {
        return texts.computeIfAbsent(file, path -> {
            try {
                return Files.readString(root.resolve(path), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
