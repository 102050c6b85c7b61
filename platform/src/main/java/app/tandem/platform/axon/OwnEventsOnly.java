package app.tandem.platform.axon;

import org.axonframework.spring.config.SpringAggregateConfigurer;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Every aggregate is rebuilt only from events of its own type. All kinds of aggregate of a service share one event
 * store, and ids come from requests: an id naming a lapse where a boundary is expected must find no boundary, as an id
 * of nothing does, rather than apply the lapse's events to a boundary and fail. Axon's Spring lookup of
 * {@code @Aggregate} classes does not carry the annotation's {@code filterEventsByType} to the repository, so it is set
 * here on each aggregate's configurer, for every aggregate there is.
 */
public class OwnEventsOnly implements BeanFactoryPostProcessor {

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        for (String name : beanFactory.getBeanDefinitionNames()) {
            BeanDefinition definition = beanFactory.getBeanDefinition(name);
            if (SpringAggregateConfigurer.class.getName().equals(definition.getBeanClassName())) {
                definition.getPropertyValues().add("filterEventsByType", true);
            }
        }
    }
}
