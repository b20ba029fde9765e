package io.outrider.desktop;

import io.outrider.core.plugin.LoadedPlugin;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestAgentBuiltInPlugins
{
    private final ClassLoader loader = TestAgentBuiltInPlugins.class.getClassLoader();

    @Test
    void theNamedClassGivesThePluginItsLoadedMethodReturns()
    {
        assertThat(AgentBuiltInPlugins.find(loader, DesktopTestPlugin.class.getName()))
                .singleElement()
                .satisfies(plugin -> {
                    assertThat(plugin.name()).isEqualTo("desktop-test");
                    assertThat(plugin.plugin()).isInstanceOf(DesktopTestPlugin.class);
                });
    }

    @Test
    void withoutTheAgentOnTheClassPathThereIsNoBuiltInPlugin()
    {
        // this module's class path has no agent-core (the enforcer rule of its pom): the lookup must not need it
        assertThat(AgentBuiltInPlugins.find(loader)).isEmpty();
        assertThat(AgentBuiltInPlugins.find(loader, AgentBuiltInPlugins.CORE_PLUGIN)).isEmpty();
    }

    @Test
    void aClassWithoutLoadedSaysTheVersionsDiffer()
    {
        assertThatThrownBy(() -> AgentBuiltInPlugins.find(loader, LoadedPlugin.class.getName()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("io.outrider.core.plugin.LoadedPlugin has no static LoadedPlugin loaded(): the desktop and the agent in lib/ are of different versions");
    }
}
